// reference/errors.ts: Python class names, MROs and errno mapping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as native from '../../native';
import * as errors from '../../reference/errors';

test('bases follow the class chain, ending in object', () => {
  assert.deepEqual(errors.describeException(new errors.SendfileNotAvailableError('x')), {
    type: 'SendfileNotAvailableError',
    bases: ['RuntimeError', 'Exception', 'BaseException', 'object'],
    module: 'asyncio.exceptions',
    message: 'x',
    errno: null,
  });
  const info = errors.describeException(new errors.PyTypeError('t'));
  assert.equal(info.type, 'TypeError');
  assert.equal(errors.describeException(new errors.CancelledError()).bases.join(), 'BaseException,object');
});

test('an errno picks the OSError subclass, as in Python', () => {
  const reset = errors.osError(104, 'Connection reset by peer');
  assert.ok(reset instanceof errors.ConnectionResetError);
  assert.deepEqual(errors.describeException(reset), {
    type: 'ConnectionResetError',
    bases: ['ConnectionError', 'OSError', 'Exception', 'BaseException', 'object'],
    module: 'builtins',
    message: '[Errno 104] Connection reset by peer',
    errno: 104,
  });
  assert.ok(errors.osError(32, 'Broken pipe') instanceof errors.BrokenPipeError);
  assert.ok(errors.osError(111, 'refused') instanceof errors.ConnectionRefusedError);
  assert.equal(errors.osError(5, 'I/O').constructor, errors.OSError);
});

test('a native SystemError converts to the OSError subclass', () => {
  const converted = errors.fromSystemError(native.systemError(104, 'sendfile'));
  assert.ok(converted instanceof errors.ConnectionResetError);
  assert.equal((converted as errors.OSError).errno, 104);
});

test('a failed lookup (negative EAI_* errno) converts to socket.gaierror, an OSError whose errno is the EAI code', () => {
  const converted = errors.fromSystemError(native.gaiError(native.EAI_NONAME, 'getaddrinfo'));
  assert.ok(converted instanceof errors.gaierror);
  assert.deepEqual(errors.describeException(converted as errors.gaierror), {
    type: 'gaierror',
    bases: ['OSError', 'Exception', 'BaseException', 'object'],
    module: 'socket',
    message: '[Errno -2] Name or service not known',
    errno: -2,
  });
  assert.equal((converted as errors.gaierror).strerror, 'Name or service not known');
});

test('ExceptionGroup has Python\'s MRO, which single inheritance alone cannot give, and its message', () => {
  const group = new errors.ExceptionGroup('create_connection failed', [new errors.OSError(null, 'a')]);
  assert.ok(group instanceof errors.Exception);
  const info = errors.describeException(group);
  assert.equal(info.type, 'ExceptionGroup');
  assert.deepEqual(info.bases, ['BaseExceptionGroup', 'Exception', 'BaseException', 'object']);
  assert.equal(info.message, 'create_connection failed (1 sub-exception)');
  assert.equal(group.exceptions.length, 1);
});
