// Broken loops for the Error Handling API (test/fixtures/broken_loops/errors.py): each breaks
// one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const F = 'features/error-handling-api';

const broken: BrokenLoop[] = [
  ['errors:ignores_custom_handler', 'Set handler as the new event loop exception handler.',
    [`${F}/loop.set_exception_handler.feature: an exception raised by a callback reaches the handler, and the loop goes on`,
      `${F}/loop.call_exception_handler.feature: the custom handler gets the context it was called with`]],
  ['errors:none_keeps_handler', 'If handler is None, the default exception handler will be set.',
    [`${F}/loop.set_exception_handler.feature: after None the default handler gets the exceptions again`,
      `${F}/loop.get_exception_handler.feature: after the handler is set to None there is no custom handler`]],
  ['errors:handler_without_loop', 'handler must be a callable with the signature matching (loop, context), where loop is a reference to the active event loop',
    [`${F}/loop.set_exception_handler.feature: the handler is called with the active loop and a dict`]],
  ['errors:forgets_handler', 'Return the current exception handler, or None if no custom exception handler was set.',
    [`${F}/loop.get_exception_handler.feature: the handler that was set is returned`]],
  ['errors:silent_default', 'This is called when an exception occurs and no exception handler is set.',
    [`${F}/loop.default_exception_handler.feature: a callback's exception goes to the default handler, and the loop goes on`,
      `${F}/loop.call_exception_handler.feature: with no custom handler the default handler gets it`]],
  ['errors:private_default', 'This can be called by a custom exception handler that wants to defer to the default handler behavior.',
    [`${F}/loop.default_exception_handler.feature: a custom handler hands the context on to the default handler`]],
  ['errors:context_without_handle', "context is a dict object containing the following keys ... 'handle' (optional)",
    [`${F}/loop.call_exception_handler.feature: a callback's exception comes with the message, the exception and the handle`]],
];

testBrokenLoops(broken);
