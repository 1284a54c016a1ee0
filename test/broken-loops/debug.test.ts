// Broken loops for the debug mode (test/fixtures/broken_loops/debug.py): each breaks one
// sentence of "Enabling debug mode", and the scenarios quoting it must fail. The scenarios that
// set PYTHONASYNCIODEBUG or Python Development Mode run on drivers started with them
// (@driver-env, @driver-flag), the broken loop's too.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const GET = 'features/enabling-debug-mode/loop.get_debug.feature';
const SET = 'features/enabling-debug-mode/loop.set_debug.feature';

const broken: BrokenLoop[] = [
  ['debug:int_debug', 'Get the debug mode (bool) of the event loop.',
    [`${GET}: a new loop's debug mode is a bool`,
      `${GET}: a new loop's debug mode is a bool in debug mode too`]],
  ['debug:env_string_debug', 'Get the debug mode (bool) of the event loop.',
    [`${GET}: a new loop's debug mode is a bool in debug mode too`]],
  ['debug:ignores_environment', 'The default value is True if the environment variable PYTHONASYNCIODEBUG is set to a non-empty string, False otherwise.',
    [`${GET}: with PYTHONASYNCIODEBUG set to "1" a new loop is in debug mode`,
      `${GET}: with PYTHONASYNCIODEBUG set to "0", a non-empty string, a new loop is in debug mode`]],
  ['debug:zero_is_off', 'The default value is True if the environment variable PYTHONASYNCIODEBUG is set to a non-empty string',
    [`${GET}: with PYTHONASYNCIODEBUG set to "0", a non-empty string, a new loop is in debug mode`]],
  ['debug:empty_is_set', 'The default value is True if the environment variable PYTHONASYNCIODEBUG is set to a non-empty string, False otherwise.',
    [`${GET}: with PYTHONASYNCIODEBUG set to the empty string a new loop is not in debug mode`]],
  ['debug:ignores_set_debug', 'Set the debug mode of the event loop.',
    [`${SET}: set_debug(True) turns the debug mode on`,
      `${SET}: set_debug(False) turns off the debug mode PYTHONASYNCIODEBUG turned on`,
      `${SET}: set_debug(False) turns off the debug mode Python Development Mode turned on`]],
  ['debug:never_turns_off', 'Set the debug mode of the event loop.',
    [`${SET}: set_debug(False) after set_debug(True) turns the debug mode off again`,
      `${SET}: set_debug(False) turns off the debug mode PYTHONASYNCIODEBUG turned on`]],
  ['debug:shared_debug', 'Set the debug mode of the event loop.',
    [`${SET}: set_debug changes the debug mode of its own loop only`]],
  ['debug:ignores_dev_mode', 'The new Python Development Mode can now also be used to enable the debug mode.',
    [`${SET}: a new loop made in Python Development Mode is in debug mode`]],
];

testBrokenLoops(broken);
