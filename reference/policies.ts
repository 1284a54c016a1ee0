/**
 * Event loop policies and the current loop of the thread (asyncio.events): the policy pattern of
 * the 3.4 page ("Event loop policies and the default policy"), which asyncio's module-level
 * get_event_loop(), set_event_loop() and new_event_loop() delegate to.
 * https://docs.python.org/3.4/library/asyncio-eventloops.html#event-loop-policies-and-the-default-policy
 */
import { BaseEventLoop } from './base_events';
import { RuntimeError } from './errors';
import { UnixSelectorEventLoop } from './unix_events';
import { DeprecationWarning, warn } from './warnings';

/** "An event loop policy must implement the following interface" */
export abstract class AbstractEventLoopPolicy {
  /**
   * "Get the event loop for current context. Returns an event loop object implementing
   * BaseEventLoop interface, or raises an exception in case no event loop has been set for the
   * current context and the current policy does not specify to create one. It should never
   * return None."
   */
  abstract getEventLoop(): BaseEventLoop;

  /** "Set the event loop of the current context to loop." */
  abstract setEventLoop(loop: BaseEventLoop | null): void;

  /**
   * "Create and return a new event loop object according to this policy's rules. If there's need
   * to set this loop as the event loop of the current context, set_event_loop() must be called
   * explicitly."
   */
  abstract newEventLoop(): BaseEventLoop;
}

/**
 * "The default policy defines context as the current thread, and manages an event loop per
 * thread that interacts with asyncio." The reference loop runs in one thread, the main one.
 */
export class DefaultEventLoopPolicy extends AbstractEventLoopPolicy {
  private loop: BaseEventLoop | null = null;
  private setCalled = false;

  /**
   * "If there is no current event loop set in the current OS thread, the OS thread is main, and
   * set_event_loop() has not yet been called, asyncio will create a new event loop and set it as
   * the current one." (asyncio-eventloop, get_event_loop)
   */
  getEventLoop(): BaseEventLoop {
    if (this.loop === null && !this.setCalled) {
      // Python 3.12 (the version the reference implements) warns on exactly this branch.
      warn(DeprecationWarning, 'There is no current event loop');
      this.setEventLoop(this.newEventLoop());
    }
    if (this.loop === null) throw new RuntimeError('There is no current event loop in thread MainThread.');
    return this.loop;
  }

  setEventLoop(loop: BaseEventLoop | null): void {
    if (loop !== null && !(loop instanceof BaseEventLoop)) throw new RuntimeError('loop must be an event loop or None');
    this.setCalled = true;
    this.loop = loop;
  }

  newEventLoop(): BaseEventLoop {
    return new UnixSelectorEventLoop();
  }
}

let policy: AbstractEventLoopPolicy | null = null;

/** "Get the current event loop policy." */
export function getEventLoopPolicy(): AbstractEventLoopPolicy {
  if (policy === null) policy = new DefaultEventLoopPolicy();
  return policy;
}

/** "Set the current event loop policy. If policy is None, the default policy is restored." */
export function setEventLoopPolicy(p: AbstractEventLoopPolicy | null): void {
  if (p !== null && !(p instanceof AbstractEventLoopPolicy)) throw new RuntimeError('policy must be an event loop policy or None');
  policy = p;
}
