using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace Gameye
{
    /// <summary>
    /// A client for the Gameye Session API. Thread-safe. Every operation has a blocking form (for
    /// tools and build pipelines; never on the main thread of a running game) and an async form
    /// whose continuation returns to the caller's SynchronizationContext (Unity's main thread when
    /// awaited there). Dispose it to cancel what is in flight and release its native resources.
    /// </summary>
    public sealed partial class GameyeClient : IDisposable
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
        /// <summary>How many clients were made so far (under Open's lock): each one's serial.</summary>
        private static long opened;
        private long serial;

        static GameyeClient()
        {
            AppDomain.CurrentDomain.ProcessExit += (sender, args) => DisposeAll();
            AppDomain.CurrentDomain.DomainUnload += (sender, args) => DisposeAll();
        }

        /// <summary>A client from the environment (GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN) and defaults.</summary>
        public GameyeClient() : this(new GameyeClientOptions()) { }

        /// <summary>A client with `options` (unset ones from the environment and defaults). Throws GameyeException for a bad setting or no token.</summary>
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
                if (options.MaxInFlight > 0)
                {
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_client_config_set_max_in_flight(config, options.MaxInFlight), "MaxInFlight");
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
                // The handle owns the hook's first share: it releases it after the native free.
                handle = new ClientHandle(client, logSink);
            }
            Register();
        }

        private GameyeClient(ClientHandle handle, LogSink logSink)
        {
            this.handle = handle;
            this.logSink = logSink;
            Register();
        }

        private void Register()
        {
            lock (Open)
            {
                serial = ++opened;
                Open.RemoveAll(reference => !reference.IsAlive);
                Open.Add(new WeakReference(this));
            }
        }

        /// <summary>How many clients were made so far: a mark for DisposeOpenedAfter (Gameye.Unity).</summary>
        internal static long OpenedSoFar
        {
            get { lock (Open) { return opened; } }
        }

        /// <summary>The native library's version.</summary>
        public static string NativeVersion { get { return Utf8.Decode(NativeMethods.gameye_version()); } }

        /// <summary>
        /// Cancels requests in flight (their tasks end cancelled), interrupts the blocking calls
        /// other threads are inside (each throws a <see cref="GameyeException"/> with status
        /// Cancelled) and waits for them, then frees the client. Not from a log hook (it would
        /// wait for itself).
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }
            // Closed first: the SafeHandle postpones the free until every thread inside a call
            // has returned, and the close is what makes them return now.
            NativeMethods.gameye_client_close(handle);
            // The log hook goes with the native client (ClientHandle), which may outlive this
            // call while another thread is still inside one of its calls.
            handle.Dispose();
        }

        /// <summary>
        /// A client for the same account that retries with another policy (a per-call setting, e.g.
        /// none for a call that must fail fast). It has connections of its own; dispose it too.
        /// </summary>
        public GameyeClient WithRetry(uint retries, uint baseDelayMs, uint maxDelayMs)
        {
            IntPtr client, error;
            int status = NativeMethods.gameye_client_with_retry(handle, retries, baseDelayMs, maxDelayMs, out client, out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
            return new GameyeClient(new ClientHandle(client, logSink == null ? null : logSink.Share()), logSink);
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
            DisposeOpenedAfter(0);
        }

        /// <summary>
        /// Disposes the clients still open that were made after `mark` (OpenedSoFar then): what
        /// Gameye.Unity does when play mode ends, leaving the Editor's own clients open.
        /// </summary>
        internal static void DisposeOpenedAfter(long mark)
        {
            lock (Open)
            {
                foreach (WeakReference reference in Open)
                {
                    var client = reference.Target as GameyeClient;
                    if (client != null && client.serial > mark)
                    {
                        client.Dispose();
                    }
                }
                Open.RemoveAll(reference =>
                {
                    var client = reference.Target as GameyeClient;
                    return client == null || client.serial > mark;
                });
            }
        }
    }
}
