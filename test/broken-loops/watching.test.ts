// Broken loops for watching file descriptors (test/fixtures/broken_loops/watching.py): each
// breaks one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const ADD_READER = 'features/watching-file-descriptors/loop.add_reader.feature';
const ADD_WRITER = 'features/watching-file-descriptors/loop.add_writer.feature';
const REMOVE_READER = 'features/watching-file-descriptors/loop.remove_reader.feature';
const REMOVE_WRITER = 'features/watching-file-descriptors/loop.remove_writer.feature';
const EXAMPLE = 'features/examples/loop.add_reader.feature: the reader receives what was sent, unregisters itself and stops the loop';
const READS = 'Start monitoring the fd file descriptor for read availability and invoke callback with the specified arguments once fd is available for reading.';
const WRITES = 'Start monitoring the fd file descriptor for write availability and invoke callback with the specified arguments once fd is available for writing.';

const broken: BrokenLoop[] = [
  ['watching:reader_never_called', READS,
    [`${ADD_READER}: the callback runs once data arrives on the descriptor`,
      `${ADD_READER}: the arguments reach the callback`,
      `${ADD_READER}: monitoring goes on after the callback: new data calls it again`,
      `${ADD_READER}: the descriptor may be given as an object with a fileno() method, the socket itself`,
      `${ADD_WRITER}: a reader and a writer on the same descriptor both run`,
      `${REMOVE_WRITER}: a reader on the same descriptor is left watching`,
      EXAMPLE]],
  ['watching:reader_drops_args', READS, [`${ADD_READER}: the arguments reach the callback`]],
  ['watching:reader_one_shot', READS, [`${ADD_READER}: monitoring goes on after the callback: new data calls it again`]],
  ['watching:reader_needs_int', READS,
    [`${ADD_READER}: the descriptor may be given as an object with a fileno() method, the socket itself`,
      `${REMOVE_READER}: the descriptor may be given as the socket itself`,
      EXAMPLE]],
  ['watching:reader_runs_at_once', READS, [`${ADD_READER}: the callback does not run while nothing can be read`]],
  ['watching:remove_reader_noop', 'Stop monitoring the fd file descriptor for read availability.',
    [`${REMOVE_READER}: once removed, the callback no longer runs when data arrives`,
      `${REMOVE_READER}: the descriptor may be given as the socket itself`,
      EXAMPLE]],
  ['watching:remove_reader_drops_writer', 'Stop monitoring the fd file descriptor for read availability.',
    [`${REMOVE_READER}: a writer on the same descriptor is left watching`]],
  ['watching:writer_watches_reads', WRITES,
    [`${ADD_WRITER}: the callback runs when the descriptor can be written`,
      `${ADD_WRITER}: the arguments reach the callback`,
      `${ADD_WRITER}: the descriptor may be given as the socket itself`]],
  ['watching:writer_drops_args', WRITES, [`${ADD_WRITER}: the arguments reach the callback`]],
  ['watching:writer_ignores_full_buffer', WRITES,
    [`${ADD_WRITER}: the callback waits while the socket's send buffer is full, and runs once the peer reads`]],
  ['watching:writer_runs_inside_add_writer', WRITES, [`${ADD_WRITER}: the callback is not called by add_writer() itself`]],
  ['watching:writer_replaces_reader', WRITES,
    [`${ADD_WRITER}: a reader and a writer on the same descriptor both run`,
      `${REMOVE_WRITER}: a reader on the same descriptor is left watching`]],
  ['watching:writer_takes_keywords', 'Use functools.partial to pass keyword arguments to callback.',
    [`${ADD_WRITER}: a keyword argument for the callback is refused with TypeError`]],
  ['watching:remove_writer_noop', 'Stop monitoring the fd file descriptor for write availability.',
    [`${REMOVE_WRITER}: once removed, the callback no longer runs although the descriptor can be written`,
      `${REMOVE_WRITER}: the descriptor may be given as the socket itself`]],
];

testBrokenLoops(broken);
