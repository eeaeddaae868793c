using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Gameye
{
    /// <summary>
    /// A client for the Gameye Session API. Thread-safe. Every operation has a blocking form (for
    /// tools and build pipelines; never on the main thread of a running game) and an async form
    /// whose continuation returns to the caller's SynchronizationContext (Unity's main thread when
    /// awaited there). Dispose it to cancel what is in flight and release its native resources.
    /// </summary>
    public sealed class GameyeClient : IDisposable
    {
        private const int DeliveryCallbackThread = 1;

        private readonly ClientHandle handle;
        /// <summary>The log hook's delegate, pinned for the native side while the client lives.</summary>
        private readonly LogSink logSink;
        private int disposed;

        /// <summary>
        /// Clients still open, disposed when the process exits (a player, a dedicated server or a
        /// batch-mode tool returning from Main or calling Environment.Exit: only ProcessExit is
        /// raised then) or when the domain unloads (a Unity Editor script reload). Disposing them
        /// there, while the runtime is whole, lets their last completions run; a client left to
        /// the finalizer at shutdown is not freed at all (see ClientHandle).
        /// </summary>
        private static readonly List<WeakReference> Open = new List<WeakReference>();

        static GameyeClient()
        {
            AppDomain.CurrentDomain.ProcessExit += (sender, args) => DisposeAll();
            AppDomain.CurrentDomain.DomainUnload += (sender, args) => DisposeAll();
        }

        /// <summary>A client from the environment (GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN) and defaults.</summary>
        public GameyeClient() : this(new GameyeClientOptions()) { }

        public GameyeClient(GameyeClientOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }
            using (var config = new ConfigHandle())
            {
                if (options.BaseUrl != null)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_base_url(config, Utf8.Encode(options.BaseUrl)), "BaseUrl");
                }
                if (options.Token != null)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_token(config, Utf8.Encode(options.Token)), "Token");
                }
                if (options.TimeoutMs > 0)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_timeout_ms(config, options.TimeoutMs), "TimeoutMs");
                }
                if (options.Retries.HasValue)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_retry(config, options.Retries.Value,
                        options.RetryBaseDelayMs, options.RetryMaxDelayMs), "Retries");
                }
                if (options.WorkerThreads > 0)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_worker_threads(config, options.WorkerThreads), "WorkerThreads");
                }
                if (options.ConnectTimeoutMs > 0)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_connect_timeout_ms(config, options.ConnectTimeoutMs), "ConnectTimeoutMs");
                }
                if (options.MaxBodyBytes > 0)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_max_body_bytes(config, options.MaxBodyBytes), "MaxBodyBytes");
                }
                if (options.AllowInsecureHttp)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_allow_insecure_http(config, true), "AllowInsecureHttp");
                }
                if (options.CaCertificatesPem != null)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_ca_certificates_pem(config, Utf8.Encode(options.CaCertificatesPem)), "CaCertificatesPem");
                }
                if (options.Log != null && options.LogLevel != GameyeLogLevel.Off)
                {
                    logSink = new LogSink(options.Log);
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_log_callback(config, (int)options.LogLevel, OnLog,
                        logSink.UserData), "Log");
                }
                // Completions run on the library's callback thread and only complete a Task there;
                // continuations go back to the awaiting context.
                GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_delivery(config, DeliveryCallbackThread), "delivery");
                IntPtr client;
                IntPtr error;
                int status = NativeMethods.gameye_client_new(config, out client, out error);
                if (status != 0)
                {
                    if (logSink != null)
                    {
                        logSink.Dispose();
                    }
                    throw GameyeException.FromNative(status, error);
                }
                handle = new ClientHandle(client);
            }
            Register();
        }

        private GameyeClient(ClientHandle handle, LogSink logSink)
        {
            this.handle = handle;
            this.logSink = logSink == null ? null : logSink.Share();
            Register();
        }

        private void Register()
        {
            lock (Open)
            {
                Open.RemoveAll(reference => !reference.IsAlive);
                Open.Add(new WeakReference(this));
            }
        }

        /// <summary>The native library's version.</summary>
        public static string NativeVersion { get { return Utf8.Decode(NativeMethods.gameye_version()); } }

        /// <summary>Cancels requests in flight (their tasks end cancelled) and frees the client.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }
            handle.Dispose();
            if (logSink != null)
            {
                logSink.Dispose(); // after the native client: no log line can arrive any more
            }
        }

        /// <summary>
        /// A client for the same account that retries with another policy (a per-call setting, e.g.
        /// none for a call that must fail fast). It shares this client's connections; dispose it too.
        /// </summary>
        public GameyeClient WithRetry(uint retries, uint baseDelayMs, uint maxDelayMs)
        {
            IntPtr client, error;
            int status = NativeMethods.gameye_client_with_retry(handle, retries, baseDelayMs, maxDelayMs, out client, out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            return new GameyeClient(new ClientHandle(client), logSink);
        }

        /// <summary>
        /// The log hook, handed to the native side as a GCHandle and reached through one static
        /// callback (IL2CPP calls back only into static methods). Shared by derived clients and
        /// freed with the last of them.
        /// </summary>
        private sealed class LogSink : IDisposable
        {
            private readonly Action<GameyeLogLevel, string> log;
            private GCHandle self;
            private int users = 1;

            public LogSink(Action<GameyeLogLevel, string> log)
            {
                this.log = log;
                self = GCHandle.Alloc(this);
            }

            public IntPtr UserData { get { return GCHandle.ToIntPtr(self); } }

            public LogSink Share()
            {
                Interlocked.Increment(ref users);
                return this;
            }

            public void Write(int level, IntPtr message)
            {
                log((GameyeLogLevel)level, Utf8.Decode(message));
            }

            public void Dispose()
            {
                if (Interlocked.Decrement(ref users) == 0 && self.IsAllocated)
                {
                    self.Free();
                }
            }
        }

        // Kept in a static field: the delegate must outlive every native call that may invoke it.
        private static readonly NativeMethods.LogCallback OnLog = Logged;

        [MonoPInvokeCallback(typeof(NativeMethods.LogCallback))]
        private static void Logged(int level, IntPtr message, IntPtr userData)
        {
            try
            {
                ((LogSink)GCHandle.FromIntPtr(userData).Target).Write(level, message);
            }
            catch (Exception)
            {
                // Never into the native library; a failing log hook loses its line, nothing else.
            }
        }

        private static void DisposeAll()
        {
            lock (Open)
            {
                foreach (WeakReference reference in Open)
                {
                    var client = reference.Target as GameyeClient;
                    if (client != null)
                    {
                        client.Dispose();
                    }
                }
                Open.Clear();
            }
        }

        // ---- Blocking calls -------------------------------------------------------------------

        private static T Take<T>(int status, IntPtr result, IntPtr error, Action<IntPtr> free, Func<IntPtr, T> read)
        {
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            using (var owned = new ResultHandle(result, free))
            {
                return read(owned.Pointer);
            }
        }

        public IReadOnlyList<Session> ListSessions(ListSessionsOptions options = null)
        {
            using (var native = ListOptions(options))
            {
                IntPtr list, error;
                int status = NativeMethods.gameye_list_sessions(handle, native, out list, out error);
                return Take(status, list, error, NativeMethods.gameye_session_list_free, Read.SessionList);
            }
        }

        public Session DescribeSession(string id)
        {
            IntPtr session, error;
            int status = NativeMethods.gameye_describe_session(handle, Utf8.Encode(id), out session, out error);
            return Take(status, session, error, NativeMethods.gameye_session_free, Read.Session);
        }

        /// <summary>
        /// Starts a session. Without an id in `options` the binding generates one (a Guid), so a
        /// failed, timed-out or cancelled start can say which session may exist
        /// (GameyeException.SessionId, SessionStartCanceledException.SessionId).
        /// </summary>
        public StartedSession StartSession(StartSessionOptions options)
        {
            string id;
            using (var native = StartOptions(options, out id))
            {
                IntPtr started, error;
                int status = NativeMethods.gameye_start_session(handle, native, out started, out error);
                return Take(status, started, error, NativeMethods.gameye_started_session_free, Read.Started);
            }
        }

        public void StopSession(string id)
        {
            IntPtr error;
            int status = NativeMethods.gameye_stop_session(handle, Utf8.Encode(id), out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
        }

        public Roster JoinSession(string sessionId, params string[] players)
        {
            using (var ids = new Utf8Array(players))
            {
                IntPtr roster, error;
                int status = NativeMethods.gameye_join_session(handle, Utf8.Encode(sessionId), ids.Pointers, ids.Count, out roster, out error);
                return Take(status, roster, error, NativeMethods.gameye_roster_free, Read.Roster);
            }
        }

        public Roster LeaveSession(params string[] players)
        {
            using (var ids = new Utf8Array(players))
            {
                IntPtr roster, error;
                int status = NativeMethods.gameye_leave_session(handle, ids.Pointers, ids.Count, out roster, out error);
                return Take(status, roster, error, NativeMethods.gameye_roster_free, Read.Roster);
            }
        }

        public string GetLogs(string sessionId)
        {
            IntPtr logs, error;
            int status = NativeMethods.gameye_get_logs(handle, Utf8.Encode(sessionId), out logs, out error);
            return Take(status, logs, error, NativeMethods.gameye_logs_free, Read.Logs);
        }

        /// <summary>
        /// Streams the .tar.gz of `path` in a stopped session's container to `destination`; returns
        /// its size. `progress` (may be null) hears how far it got, on this thread.
        /// </summary>
        public ulong DownloadArtifact(string sessionId, string path, string destination, ulong maxBytes = 0,
            IProgress<DownloadProgress> progress = null)
        {
            ulong bytes;
            IntPtr error;
            GCHandle user = progress == null ? default(GCHandle) : GCHandle.Alloc(progress);
            try
            {
                int status = NativeMethods.gameye_download_artifact(handle, Utf8.Encode(sessionId), Utf8.Encode(path), Utf8.Encode(destination),
                    maxBytes, progress == null ? null : OnProgress, progress == null ? IntPtr.Zero : GCHandle.ToIntPtr(user), out bytes, out error);
                if (status != 0)
                {
                    throw GameyeException.FromNative(status, error);
                }
            }
            finally
            {
                if (user.IsAllocated)
                {
                    user.Free();
                }
            }
            return bytes;
        }

        private static readonly NativeMethods.ProgressCallback OnProgress = Progressed;

        [MonoPInvokeCallback(typeof(NativeMethods.ProgressCallback))]
        private static bool Progressed(ulong received, ulong total, IntPtr userData)
        {
            try
            {
                var progress = (IProgress<DownloadProgress>)GCHandle.FromIntPtr(userData).Target;
                progress.Report(new DownloadProgress { Received = received, Total = total == 0 ? (ulong?)null : total });
            }
            catch (Exception)
            {
                // Never into the native library; the download goes on.
            }
            return true;
        }

        /// <summary>
        /// Follows a session's output (its log) as it is written: returns once the stream is open.
        /// `idleTimeoutMs`: fail when nothing arrives for that long (0: wait as long as it takes).
        /// </summary>
        public LogStream FollowLogs(string sessionId, uint idleTimeoutMs = 0)
        {
            IntPtr stream, error;
            int status = NativeMethods.gameye_follow_logs(handle, Utf8.Encode(sessionId), idleTimeoutMs, out stream, out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            return new LogStream(stream);
        }

        public IReadOnlyList<AvailableLocation> GetAvailableLocations(string image)
        {
            IntPtr list, error;
            int status = NativeMethods.gameye_get_available_locations(handle, Utf8.Encode(image), out list, out error);
            return Take(status, list, error, NativeMethods.gameye_location_list_free, Read.Locations);
        }

        public bool TagExists(string region, string image, string version)
        {
            bool exists;
            IntPtr error;
            int status = NativeMethods.gameye_tag_exists(handle, Utf8.Encode(region), Utf8.Encode(image), Utf8.Encode(version), out exists, out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            return exists;
        }

        // ---- Async calls ------------------------------------------------------------------------

        /// <summary>
        /// One pending async call: reads its result inside the native callback, then completes the
        /// task. Held by a GCHandle until then, it keeps its client alive: a client referenced
        /// only by its pending tasks is not finalized mid-request.
        /// </summary>
        private abstract class Pending
        {
            public abstract void Complete(IntPtr completion);
        }

        private sealed class Pending<T> : Pending
        {
            public readonly TaskCompletionSource<T> Source =
                new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly Func<IntPtr, T> read;
            private readonly GameyeClient owner;
            private readonly CancellationToken token;
            private readonly string sessionId;

            public Pending(GameyeClient owner, Func<IntPtr, T> read, CancellationToken token, string sessionId)
            {
                this.owner = owner;
                this.read = read;
                this.token = token;
                this.sessionId = sessionId;
            }

            public override void Complete(IntPtr completion)
            {
                GC.KeepAlive(owner);
                int status = NativeMethods.gameye_completion_status(completion);
                try
                {
                    if (status == (int)GameyeStatus.Cancelled)
                    {
                        NativeMethods.gameye_error_free(NativeMethods.gameye_completion_take_error(completion));
                        if (sessionId != null)
                        {
                            // A start that was sent may have created its session: say which.
                            Source.TrySetException(new SessionStartCanceledException(sessionId, token));
                        }
                        else
                        {
                            Source.TrySetCanceled(token);
                        }
                    }
                    else if (status != 0)
                    {
                        Source.TrySetException(GameyeException.FromNative(status, NativeMethods.gameye_completion_take_error(completion)));
                    }
                    else
                    {
                        Source.TrySetResult(read(completion));
                    }
                }
                catch (Exception exception)
                {
                    Source.TrySetException(exception);
                }
            }
        }

        // Kept in a static field: the delegate must outlive every native call that may invoke it.
        private static readonly NativeMethods.CompletionCallback OnCompletion = Completed;

        [MonoPInvokeCallback(typeof(NativeMethods.CompletionCallback))]
        private static void Completed(IntPtr completion, IntPtr userData)
        {
            // The whole body is guarded: no managed exception may unwind into the native library.
            try
            {
                GCHandle pending = GCHandle.FromIntPtr(userData);
                try
                {
                    ((Pending)pending.Target).Complete(completion);
                }
                finally
                {
                    pending.Free(); // the native side completes each request exactly once
                }
            }
            catch (Exception)
            {
            }
        }

        private delegate int Submit(NativeMethods.CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);

        private Task<T> Start<T>(Func<IntPtr, T> read, CancellationToken cancellation, Submit submit, string sessionId = null,
            IProgress<DownloadProgress> progress = null)
        {
            if (cancellation.IsCancellationRequested)
            {
                return Task.FromCanceled<T>(cancellation); // nothing is sent
            }
            var pending = new Pending<T>(this, read, cancellation, sessionId);
            GCHandle user = GCHandle.Alloc(pending);
            IntPtr request;
            IntPtr error;
            int status;
            try
            {
                status = submit(OnCompletion, GCHandle.ToIntPtr(user), out request, out error);
            }
            catch
            {
                user.Free(); // not queued (e.g. the client was disposed): the callback never runs
                throw;
            }
            if (status != 0)
            {
                user.Free();
                throw GameyeException.FromNative(status, error);
            }
            var owned = new ResultHandle(request, NativeMethods.gameye_request_free);
            if (progress != null)
            {
                Watch(owned, pending.Source.Task, progress);
            }
            if (cancellation.CanBeCanceled)
            {
                CancellationTokenRegistration registration = cancellation.Register(() => NativeMethods.gameye_request_cancel(owned.Pointer));
                pending.Source.Task.ContinueWith(task => { registration.Dispose(); owned.Dispose(); }, TaskScheduler.Default);
            }
            else
            {
                pending.Source.Task.ContinueWith(task => owned.Dispose(), TaskScheduler.Default);
            }
            return pending.Source.Task;
        }

        /// <summary>Reports a download's progress every 100 ms until its task ends.</summary>
        private static async void Watch(ResultHandle request, Task task, IProgress<DownloadProgress> progress)
        {
            try
            {
                while (!task.IsCompleted)
                {
                    ulong received, total;
                    NativeMethods.gameye_request_progress(request, out received, out total); // a freed request throws
                    progress.Report(new DownloadProgress { Received = received, Total = total == 0 ? (ulong?)null : total });
                    await Task.WhenAny(task, Task.Delay(100)).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // The request was freed (the task ended), or the caller's progress threw: stop reporting.
            }
        }

        private static Func<IntPtr, T> Taken<T>(Func<IntPtr, IntPtr> take, Action<IntPtr> free, Func<IntPtr, T> read)
        {
            return completion =>
            {
                using (var owned = new ResultHandle(take(completion), free))
                {
                    return read(owned.Pointer);
                }
            };
        }

        public Task<IReadOnlyList<Session>> ListSessionsAsync(ListSessionsOptions options = null, CancellationToken cancellation = default(CancellationToken))
        {
            using (var native = ListOptions(options))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_session_list, NativeMethods.gameye_session_list_free, Read.SessionList), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_list_sessions_async(handle, native, callback, data, out request, out error));
            }
        }

        public Task<Session> DescribeSessionAsync(string id, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(Taken(NativeMethods.gameye_completion_take_session, NativeMethods.gameye_session_free, Read.Session), cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_describe_session_async(handle, Utf8.Encode(id), callback, data, out request, out error));
        }

        /// <summary>StartSession without blocking; see StartSession for the session id.</summary>
        public Task<StartedSession> StartSessionAsync(StartSessionOptions options, CancellationToken cancellation = default(CancellationToken))
        {
            string id;
            using (var native = StartOptions(options, out id))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_started_session, NativeMethods.gameye_started_session_free, Read.Started), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_start_session_async(handle, native, callback, data, out request, out error), id);
            }
        }

        public Task StopSessionAsync(string id, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(completion => true, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_stop_session_async(handle, Utf8.Encode(id), callback, data, out request, out error));
        }

        public Task<Roster> JoinSessionAsync(string sessionId, string[] players, CancellationToken cancellation = default(CancellationToken))
        {
            using (var ids = new Utf8Array(players))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_roster, NativeMethods.gameye_roster_free, Read.Roster), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_join_session_async(handle, Utf8.Encode(sessionId), ids.Pointers, ids.Count, callback, data, out request, out error));
            }
        }

        public Task<Roster> LeaveSessionAsync(string[] players, CancellationToken cancellation = default(CancellationToken))
        {
            using (var ids = new Utf8Array(players))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_roster, NativeMethods.gameye_roster_free, Read.Roster), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_leave_session_async(handle, ids.Pointers, ids.Count, callback, data, out request, out error));
            }
        }

        public Task<string> GetLogsAsync(string sessionId, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(Taken(NativeMethods.gameye_completion_take_logs, NativeMethods.gameye_logs_free, Read.Logs), cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_get_logs_async(handle, Utf8.Encode(sessionId), callback, data, out request, out error));
        }

        /// <summary>DownloadArtifact without blocking; `progress` (may be null) hears how far it got, every 100 ms.</summary>
        public Task<ulong> DownloadArtifactAsync(string sessionId, string path, string destination, ulong maxBytes = 0,
            CancellationToken cancellation = default(CancellationToken), IProgress<DownloadProgress> progress = null)
        {
            return Start(NativeMethods.gameye_completion_artifact_bytes, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_download_artifact_async(handle, Utf8.Encode(sessionId), Utf8.Encode(path), Utf8.Encode(destination), maxBytes,
                        callback, data, out request, out error), null, progress);
        }

        /// <summary>FollowLogs without blocking: completes once the stream is open.</summary>
        public Task<LogStream> FollowLogsAsync(string sessionId, uint idleTimeoutMs = 0, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(completion => new LogStream(NativeMethods.gameye_completion_take_log_stream(completion)), cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_follow_logs_async(handle, Utf8.Encode(sessionId), idleTimeoutMs, callback, data, out request, out error));
        }

        public Task<IReadOnlyList<AvailableLocation>> GetAvailableLocationsAsync(string image, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(Taken(NativeMethods.gameye_completion_take_location_list, NativeMethods.gameye_location_list_free, Read.Locations), cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_get_available_locations_async(handle, Utf8.Encode(image), callback, data, out request, out error));
        }

        public Task<bool> TagExistsAsync(string region, string image, string version, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(NativeMethods.gameye_completion_tag_exists, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_tag_exists_async(handle, Utf8.Encode(region), Utf8.Encode(image), Utf8.Encode(version), callback, data,
                        out request, out error));
        }

        // ---- Options ----------------------------------------------------------------------------

        private static ListOptionsHandle ListOptions(ListSessionsOptions options)
        {
            var native = new ListOptionsHandle();
            if (options == null)
            {
                return native;
            }
            try
            {
                GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_all(native, options.All), "All");
                if (options.Location != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_location(native, Utf8.Encode(options.Location)), "Location");
                if (options.Image != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_image(native, Utf8.Encode(options.Image)), "Image");
                if (options.Tag != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_tag(native, Utf8.Encode(options.Tag)), "Tag");
                if (options.Host != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_host(native, Utf8.Encode(options.Host)), "Host");
                if (options.PlayerCountLessThan.HasValue)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_player_count_lt(native, options.PlayerCountLessThan.Value), "PlayerCountLessThan");
                if (options.PlayerCountGreaterThan.HasValue)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_player_count_gt(native, options.PlayerCountGreaterThan.Value), "PlayerCountGreaterThan");
                foreach (KeyValuePair<string, string> label in options.Labels)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_add_filter(native, Utf8.Encode(label.Key), Utf8.Encode(label.Value)), "Labels");
                return native;
            }
            catch
            {
                native.Dispose();
                throw;
            }
        }

        private static StartOptionsHandle StartOptions(StartSessionOptions options, out string id)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }
            id = options.Id ?? Guid.NewGuid().ToString();
            var native = new StartOptionsHandle();
            try
            {
                GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_id(native, Utf8.Encode(id)), "Id");
                if (options.Location != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_location(native, Utf8.Encode(options.Location)), "Location");
                if (options.Image != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_image(native, Utf8.Encode(options.Image)), "Image");
                if (options.Version != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_version(native, Utf8.Encode(options.Version)), "Version");
                if (options.Ttl != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_ttl(native, Utf8.Encode(options.Ttl)), "Ttl");
                if (options.ExternalId != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_external_id(native, Utf8.Encode(options.ExternalId)), "ExternalId");
                if (options.Restart.HasValue) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_restart(native, options.Restart.Value), "Restart");
                foreach (KeyValuePair<string, string> env in options.Env)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_env(native, Utf8.Encode(env.Key), Utf8.Encode(env.Value)), "Env");
                foreach (string arg in options.Args)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_add_arg(native, Utf8.Encode(arg)), "Args");
                foreach (KeyValuePair<string, string> label in options.Labels)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_label(native, Utf8.Encode(label.Key), Utf8.Encode(label.Value)), "Labels");
                return native;
            }
            catch
            {
                native.Dispose();
                throw;
            }
        }
    }
}
