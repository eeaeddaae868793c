// Waiting for a session (until it runs, or until it has ended) and watching sessions change:
// the library's polling, with its documented schedule, deadline and cancellation.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace Gameye
{
    public sealed partial class GameyeClient
    {
        internal static uint Millis(TimeSpan timeout)
        {
            if (timeout < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException("timeout", "a timeout cannot be negative");
            }
            return (uint)Math.Min(timeout.TotalMilliseconds, uint.MaxValue);
        }

        /// <summary>
        /// Waits until session `id` reaches `state`, or `timeout` passes (zero: one look, no
        /// wait), describing it at once, then after 250 ms, 500 ms, 1 s and every 2 s. Returns the
        /// session as last seen: running (with host and ports) or ended; null when waiting for
        /// Ended and the session is gone. Throws GameyeException: Timeout (the deadline passed),
        /// NotFound (no such session ever showed), SessionEnded (waiting for Running, it ended
        /// first: died while starting, was stopped), or the API's own failure. Blocks: never on
        /// a game's main thread (use WaitForSessionAsync).
        /// </summary>
        public Session WaitForSession(string id, SessionState state, TimeSpan timeout)
        {
            IntPtr session, error;
            int status = NativeMethods.gameye_wait_for_session(handle, Utf8.Encode(id), (int)state, Millis(timeout), out session, out error);
            if (status == 0 && session == IntPtr.Zero)
            {
                return null; // ended and gone
            }
            return Take(status, session, error, NativeMethods.gameye_session_free, Read.Session);
        }

        /// <summary>
        /// Starts a session, then waits until it runs; `timeout` covers both. The matchmaker's
        /// call: hand the players Host and the Ports of the session it returns. Every failure
        /// once the start may have reached the server names the session in
        /// GameyeException.SessionId (without an id in `options` the binding makes one), so a
        /// session still starting after a Timeout can be stopped; the library never stops it.
        /// </summary>
        public Session StartSessionAndWait(StartSessionOptions options, TimeSpan timeout)
        {
            string id;
            using (var native = StartOptions(options, out id))
            {
                IntPtr session, error;
                int status = NativeMethods.gameye_start_session_and_wait(handle, native, Millis(timeout), out session, out error);
                return Take(status, session, error, NativeMethods.gameye_session_free, Read.Session);
            }
        }

        /// <summary>
        /// Stops a session, then waits until it has ended (after which its artifacts can be
        /// downloaded); `timeout` covers both. One that had stopped already is waited for all the
        /// same. Throws GameyeException: NotFound, Timeout, or the API's own failure.
        /// </summary>
        public void StopSessionAndWait(string id, TimeSpan timeout)
        {
            IntPtr error;
            int status = NativeMethods.gameye_stop_session_and_wait(handle, Utf8.Encode(id), Millis(timeout), out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
        }

        /// <summary>
        /// WaitForSession without blocking. Cancelling the token ends the wait at once, also
        /// between looks. It waits on a native thread of its own, never on a worker short calls need.
        /// </summary>
        public Task<Session> WaitForSessionAsync(string id, SessionState state, TimeSpan timeout,
            CancellationToken cancellation = default(CancellationToken))
        {
            uint ms = Millis(timeout);
            return Start(completion =>
                {
                    using (var owned = new ResultHandle(NativeMethods.gameye_completion_take_session(completion), NativeMethods.gameye_session_free))
                    {
                        return owned.IsInvalid ? null : Read.Session(owned.Pointer); // null: ended and gone
                    }
                }, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_wait_for_session_async(handle, Utf8.Encode(id), (int)state, ms, callback, data, out request, out error));
        }

        /// <summary>
        /// StartSessionAndWait without blocking. A cancel once the start was sent fails the task
        /// with SessionStartCanceledException, naming the session that may exist.
        /// </summary>
        public Task<Session> StartSessionAndWaitAsync(StartSessionOptions options, TimeSpan timeout,
            CancellationToken cancellation = default(CancellationToken))
        {
            uint ms = Millis(timeout);
            string id;
            using (var native = StartOptions(options, out id))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_session, NativeMethods.gameye_session_free, Read.Session), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_start_session_and_wait_async(handle, native, ms, callback, data, out request, out error), id);
            }
        }

        /// <summary>StopSessionAndWait without blocking.</summary>
        public Task StopSessionAndWaitAsync(string id, TimeSpan timeout, CancellationToken cancellation = default(CancellationToken))
        {
            uint ms = Millis(timeout);
            return Start(completion => true, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_stop_session_and_wait_async(handle, Utf8.Encode(id), ms, callback, data, out request, out error));
        }

        /// <summary>
        /// Starts watching sessions: a native thread lists them (with `options.Filter`) at once
        /// and every `options.Interval`, and each session added, changed or removed since the
        /// poll before becomes one SessionWatchEvent, taken with SessionWatch.TryNext (from a
        /// game loop with a zero wait). The watch keeps what it needs of this client (it may be
        /// disposed first). Dispose the watch.
        /// </summary>
        public SessionWatch WatchSessions(WatchSessionsOptions options = null)
        {
            options = options ?? new WatchSessionsOptions();
            using (var native = new WatchOptionsHandle())
            using (var filter = ListOptions(options.Filter))
            {
                GameyeException.ThrowIfFailed(NativeMethods.gameye_watch_options_set_interval_ms(native, Millis(options.Interval)), "Interval");
                GameyeException.ThrowIfFailed(NativeMethods.gameye_watch_options_set_list_options(native, filter), "Filter");
                IntPtr watch, error;
                int status = NativeMethods.gameye_watch_sessions(handle, native, out watch, out error);
                if (status != 0)
                {
                    throw GameyeException.FromNative(status, error);
                }
                return new SessionWatch(new WatchHandle(watch));
            }
        }
    }

    /// <summary>How WatchSessions polls.</summary>
    public sealed class WatchSessionsOptions
    {
        /// <summary>The pause between two polls; at least 250 ms, default 2 s.</summary>
        public TimeSpan Interval { get; set; }
        /// <summary>The filter of each poll (null: the running sessions).</summary>
        public ListSessionsOptions Filter { get; set; }

        /// <summary>Defaults: a 2 s interval, every running session.</summary>
        public WatchSessionsOptions()
        {
            Interval = TimeSpan.FromSeconds(2);
        }
    }

    /// <summary>
    /// Sessions watched as they appear, change and go (see GameyeClient.WatchSessions).
    /// Thread-safe. Nothing is lost and memory stays bounded: the next poll waits until the
    /// events of the last one were taken, so a watch nobody reads stops polling.
    /// </summary>
    public sealed class SessionWatch : IDisposable
    {
        private readonly WatchHandle handle;

        internal SessionWatch(WatchHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>
        /// Takes the next event, waiting up to `wait` for one (zero: just look). False when none
        /// came in time, or once the watch is disposed and its events are taken. Throws
        /// GameyeException with the failure that ended the watch (e.g. Forbidden).
        /// </summary>
        public bool TryNext(TimeSpan wait, out SessionWatchEvent watchEvent)
        {
            watchEvent = null;
            if (handle.IsClosed)
            {
                return false;
            }
            IntPtr native, error;
            int status;
            try
            {
                status = NativeMethods.gameye_watch_next(handle, (uint)Math.Min(Math.Max(wait.TotalMilliseconds, 0), uint.MaxValue), out native, out error);
            }
            catch (ObjectDisposedException)
            {
                return false; // disposed while waiting
            }
            if (status == (int)GameyeStatus.Cancelled)
            {
                NativeMethods.gameye_error_free(error);
                return false; // disposed: no more events
            }
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            if (native == IntPtr.Zero)
            {
                return false;
            }
            using (var owned = new ResultHandle(native, NativeMethods.gameye_watch_event_free))
            {
                watchEvent = Read.WatchEvent(owned.Pointer);
                return true;
            }
        }

        /// <summary>Whether it still polls: false once disposed, or ended by a failure.</summary>
        public bool IsRunning
        {
            get { return !handle.IsClosed && NativeMethods.gameye_watch_is_running(handle); }
        }

        /// <summary>How many polls were answered so far.</summary>
        public ulong Polls
        {
            get { return handle.IsClosed ? 0 : NativeMethods.gameye_watch_polls(handle); }
        }

        /// <summary>
        /// The last poll's failure (one that may pass while it polls on, or the one that ended
        /// it); null when it succeeded.
        /// </summary>
        public GameyeException LastError
        {
            get
            {
                if (handle.IsClosed)
                {
                    return null;
                }
                IntPtr error;
                int status = NativeMethods.gameye_watch_last_error(handle, out error);
                return status == 0 ? null : GameyeException.FromNative(status, error);
            }
        }

        /// <summary>
        /// Stops the watch (a poll on the wire is interrupted; a TryNext waiting on another
        /// thread returns false) and frees it.
        /// </summary>
        public void Dispose()
        {
            if (!handle.IsClosed)
            {
                try
                {
                    NativeMethods.gameye_watch_close(handle);
                }
                catch (ObjectDisposedException)
                {
                }
            }
            handle.Dispose();
        }
    }
}
