using System;
using System.Threading;
using System.Threading.Tasks;

namespace Gameye
{
    /// <summary>
    /// A session's output as it is written (GameyeClient.FollowLogs): pull lines from it, from an
    /// Update loop with TryReadLine, or awaiting ReadLineAsync. It ends when the session stops.
    /// Dispose it to stop following (that cancels and joins its native reader). Read it from one
    /// thread at a time; Cancel may be called from any thread.
    /// </summary>
    public sealed class LogStream : IDisposable
    {
        private readonly LogStreamHandle handle;
        private readonly object reading = new object();

        internal LogStream(IntPtr stream)
        {
            handle = new LogStreamHandle(stream);
        }

        /// <summary>Whether the stream ended: the session stopped, and every line was read.</summary>
        public bool Ended { get; private set; }

        /// <summary>A line if one is ready now; never blocks (call it once per frame). False when none is ready yet or the stream ended.</summary>
        public bool TryReadLine(out string line)
        {
            line = Next(0);
            return line != null;
        }

        /// <summary>Waits up to `waitMs` for the next line: null when none came in time or the stream ended (see Ended).</summary>
        public string ReadLine(uint waitMs)
        {
            return Next(waitMs);
        }

        /// <summary>
        /// The next line, or null once the stream ended. Waits on a pool thread, in slices of
        /// 100 ms, so a cancellation ends it promptly (OperationCanceledException with the token).
        /// Failures (an idle timeout, a lost connection) throw GameyeException.
        /// </summary>
        public Task<string> ReadLineAsync(CancellationToken cancellation = default(CancellationToken))
        {
            return Task.Run(() =>
            {
                while (true)
                {
                    cancellation.ThrowIfCancellationRequested();
                    string line = Next(100);
                    if (line != null || Ended)
                    {
                        return line;
                    }
                }
            }, cancellation);
        }

        /// <summary>Ends a read that is waiting, at once (it throws GameyeException with status Cancelled), and every later one.</summary>
        public void Cancel()
        {
            NativeMethods.gameye_log_stream_cancel(handle);
        }

        /// <summary>Stops following: cancels and joins the native reader.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        private string Next(uint waitMs)
        {
            lock (reading)
            {
                if (Ended)
                {
                    return null;
                }
                IntPtr line, error;
                UIntPtr length;
                bool ended;
                int status = NativeMethods.gameye_log_stream_next(handle, waitMs, out line, out length, out ended, out error);
                if (status != 0)
                {
                    throw GameyeException.FromNative(status, error);
                }
                if (ended)
                {
                    Ended = true;
                    return null;
                }
                // The line is borrowed until the next call: copied now.
                return line == IntPtr.Zero ? null : Utf8.Decode(line, checked((int)length.ToUInt64()));
            }
        }
    }
}
