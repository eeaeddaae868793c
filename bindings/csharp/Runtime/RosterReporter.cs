using System;
using System.Runtime.InteropServices;

namespace Gameye
{
    /// <summary>
    /// The session this process runs in, as Gameye tells a dedicated server's container
    /// (GAMEYE_SESSION_ID, GAMEYE_HOST). Read it once at start-up.
    /// </summary>
    public sealed class GameyeSessionContext
    {
        /// <summary>The id of the session this process runs in.</summary>
        public string SessionId { get; private set; }

        /// <summary>The host's address as Gameye set it; null when unset.</summary>
        public string Host { get; private set; }

        /// <summary>
        /// The current context: false outside a Gameye session (GAMEYE_SESSION_ID unset or
        /// empty), e.g. a server started by hand or in the Editor.
        /// </summary>
        public static bool TryGetCurrent(out GameyeSessionContext context)
        {
            context = Read(false);
            return context != null;
        }

        /// <summary>The current context; throws GameyeException (Status NotFound) outside a session.</summary>
        public static GameyeSessionContext Current()
        {
            return Read(true);
        }

        /// <summary>The context, or null outside a session unless `throwOutside`; other failures throw.</summary>
        private static GameyeSessionContext Read(bool throwOutside)
        {
            IntPtr native, error;
            int status = NativeMethods.gameye_session_context_current(out native, out error);
            if (status == (int)GameyeStatus.NotFound && !throwOutside)
            {
                NativeMethods.gameye_error_free(error);
                return null;
            }
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            try
            {
                return new GameyeSessionContext
                {
                    SessionId = Utf8.Decode(NativeMethods.gameye_session_context_id(native)),
                    Host = Utf8.Decode(NativeMethods.gameye_session_context_host(native)),
                };
            }
            finally
            {
                NativeMethods.gameye_session_context_free(native);
            }
        }
    }

    /// <summary>How a RosterReporter batches (see gameye_roster_reporter_options_* in gameye.h).</summary>
    public sealed class RosterReporterOptions
    {
        /// <summary>How long the first unsent report waits for others: 0 to 60000 ms (0 here: the default, 200).</summary>
        public uint BatchIntervalMs { get; set; }

        /// <summary>Send at once, without a batch interval (BatchIntervalMs 0 keeps the default).</summary>
        public bool SendImmediately { get; set; }

        /// <summary>The most players in one call: 1 to 10000 (0: the default, 100).</summary>
        public int BatchSize { get; set; }

        /// <summary>The most players not yet acknowledged: 1 to 1000000 (0: the default, 10000). Past it PlayerJoined throws (RateLimited).</summary>
        public int MaxPending { get; set; }

        /// <summary>
        /// Told of the permanent failure that stopped the reporter (Unauthorized, Forbidden,
        /// NotFound: the session is gone), once per failure, on the reporter's worker thread: not
        /// Unity's main thread, so hand it over (a queue, a SynchronizationContext) before touching
        /// Unity objects. Exceptions it throws are dropped.
        /// </summary>
        public Action<GameyeException> OnFailure { get; set; }
    }

    /// <summary>
    /// One session's player roster, reported to Gameye in batches by a worker thread of its own
    /// (GameyeClient.CreateRosterReporter). PlayerJoined and PlayerLeft never block and do no I/O:
    /// call them from the main thread. A player's leave is never sent before its join; a join and a
    /// leave both unsent cancel out; failures without an answer are retried until they succeed.
    /// Thread-safe. Dispose it (after Flush, to keep what is pending) when the server shuts down.
    /// </summary>
    public sealed class RosterReporter : IDisposable
    {
        private readonly ReporterHandle handle;

        /// <summary>What the failure callback reaches, through a GCHandle the native side keeps.</summary>
        private sealed class FailureSink
        {
            public Action<GameyeException> OnFailure;
        }

        internal RosterReporter(ClientHandle client, string sessionId, RosterReporterOptions options, IDisposable logShare)
        {
            if (sessionId == null)
            {
                if (logShare != null)
                {
                    logShare.Dispose();
                }
                throw new ArgumentNullException("sessionId");
            }
            options = options ?? new RosterReporterOptions();
            var sink = new GCHandle();
            bool made = false;
            try
            {
                using (var native = new ReporterOptionsHandle())
                {
                    if (options.BatchIntervalMs > 0 || options.SendImmediately)
                    {
                        GameyeException.ThrowIfFailed(NativeMethods.gameye_roster_reporter_options_set_batch_interval_ms(native,
                            options.SendImmediately ? 0 : options.BatchIntervalMs), "BatchIntervalMs");
                    }
                    if (options.BatchSize != 0)
                    {
                        GameyeException.ThrowIfFailed(NativeMethods.gameye_roster_reporter_options_set_batch_size(native,
                            Count(options.BatchSize)), "BatchSize");
                    }
                    if (options.MaxPending != 0)
                    {
                        GameyeException.ThrowIfFailed(NativeMethods.gameye_roster_reporter_options_set_max_pending(native,
                            Count(options.MaxPending)), "MaxPending");
                    }
                    if (options.OnFailure != null)
                    {
                        sink = GCHandle.Alloc(new FailureSink { OnFailure = options.OnFailure });
                        GameyeException.ThrowIfFailed(NativeMethods.gameye_roster_reporter_options_set_failure_callback(native,
                            OnFailed, GCHandle.ToIntPtr(sink)), "OnFailure");
                    }
                    IntPtr reporter, error;
                    int status = NativeMethods.gameye_roster_reporter_new(client, Utf8.Encode(sessionId), native, out reporter, out error);
                    if (status != 0)
                    {
                        throw GameyeException.FromNative(status, error);
                    }
                    handle = new ReporterHandle(reporter, sink, logShare);
                    made = true;
                }
            }
            finally
            {
                if (!made)
                {
                    if (sink.IsAllocated)
                    {
                        sink.Free();
                    }
                    if (logShare != null)
                    {
                        logShare.Dispose();
                    }
                }
            }
        }

        private static UIntPtr Count(int value)
        {
            // A negative count reaches the library as a huge one, which it refuses.
            return value < 0 ? UIntPtr.Zero : new UIntPtr((uint)value);
        }

        /// <summary>Reports that a player joined. Throws GameyeException: RateLimited past MaxPending (nothing changed), Cancelled after StopSession, InvalidArgument for an empty id.</summary>
        public void PlayerJoined(string playerId)
        {
            GameyeException.ThrowIfFailed(NativeMethods.gameye_roster_reporter_player_joined(handle, Encode(playerId)), "playerId");
        }

        /// <summary>Reports that a player left. A player never reported as joined is ignored. Throws as PlayerJoined.</summary>
        public void PlayerLeft(string playerId)
        {
            GameyeException.ThrowIfFailed(NativeMethods.gameye_roster_reporter_player_left(handle, Encode(playerId)), "playerId");
        }

        private static byte[] Encode(string playerId)
        {
            if (playerId == null)
            {
                throw new ArgumentNullException("playerId");
            }
            return Utf8.Encode(playerId);
        }

        /// <summary>Players whose join or leave is not acknowledged yet.</summary>
        public int Pending
        {
            get { return (int)Math.Min(int.MaxValue, NativeMethods.gameye_roster_reporter_pending(handle).ToUInt64()); }
        }

        /// <summary>Ok while it reports, or the status of the permanent failure that stopped it (see ThrowIfFailed).</summary>
        public GameyeStatus Status
        {
            get
            {
                IntPtr error;
                int status = NativeMethods.gameye_roster_reporter_status(handle, out error);
                NativeMethods.gameye_error_free(error);
                return (GameyeStatus)status;
            }
        }

        /// <summary>Throws the permanent failure that stopped the reporter, if one did.</summary>
        public void ThrowIfFailed()
        {
            IntPtr error;
            Check(NativeMethods.gameye_roster_reporter_status(handle, out error), error);
        }

        /// <summary>
        /// Waits until every report is acknowledged, sending at once: for shutdown. Blocks: not on
        /// the main thread of a running game. Throws GameyeException: Timeout (the message says how
        /// many are pending), or the permanent failure that stopped the reporter.
        /// </summary>
        public void Flush(uint timeoutMs)
        {
            IntPtr error;
            Check(NativeMethods.gameye_roster_reporter_flush(handle, timeoutMs, out error), error);
        }

        /// <summary>Describes the session and sends the difference with the server's roster; returns at once (Flush waits for it). Clears a permanent failure when it succeeds.</summary>
        public void Resync()
        {
            IntPtr error;
            Check(NativeMethods.gameye_roster_reporter_resync(handle, out error), error);
        }

        /// <summary>The end of the match: flushes (up to timeoutMs), then stops this session. Blocks. Later reports throw (Cancelled).</summary>
        public void StopSession(uint timeoutMs)
        {
            IntPtr error;
            Check(NativeMethods.gameye_roster_reporter_stop_session(handle, timeoutMs, out error), error);
        }

        private static void Check(int status, IntPtr error)
        {
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
        }

        /// <summary>Interrupts what is on the wire, joins the worker (no callback after it returns) and frees the reporter. Unacknowledged reports are dropped: Flush first. A reporter never disposed is freed by its finalizer.</summary>
        public void Dispose()
        {
            if (handle.IsClosed)
            {
                return;
            }
            // A SafeHandle is released only once no call holds it: a thread blocked in Flush would
            // keep the native reporter (and this Dispose's effect) waiting. Closing first interrupts
            // it; the free follows when the last call has returned.
            try
            {
                NativeMethods.gameye_roster_reporter_close(handle);
            }
            catch (ObjectDisposedException)
            {
                // Another thread disposed it meanwhile.
            }
            handle.Dispose();
        }

        // Kept in a static field: the delegate must outlive every native call that may invoke it.
        private static readonly NativeMethods.RosterFailureCallback OnFailed = Failed;

        [MonoPInvokeCallback(typeof(NativeMethods.RosterFailureCallback))]
        private static void Failed(int status, IntPtr error, IntPtr userData)
        {
            try
            {
                var sink = (FailureSink)GCHandle.FromIntPtr(userData).Target;
                // The error is borrowed for the call: copy what is needed, never free it.
                string message = Utf8.Decode(NativeMethods.gameye_error_message(error)) ?? Utf8.Decode(NativeMethods.gameye_status_name(status));
                sink.OnFailure(new GameyeException((GameyeStatus)status, message));
            }
            catch (Exception)
            {
                // Never into the native library.
            }
        }
    }
}
