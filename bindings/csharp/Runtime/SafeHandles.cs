// One SafeHandle per handle type the caller owns: freed exactly once, also by the finalizer, also
// when an exception interrupts the code that holds it.
using System;
using System.Runtime.InteropServices;

namespace Gameye
{
    internal abstract class GameyeHandle : SafeHandle
    {
        protected GameyeHandle(IntPtr handle) : base(IntPtr.Zero, true) { SetHandle(handle); }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>
        /// Whether the process's runtime is going away, so a free that calls back into managed
        /// code could block for ever. Mono also reports HasShutdownStarted while it unloads one
        /// domain (an Editor script reload): the rest of the runtime is whole then, and a client
        /// left unfreed would keep its threads, calling into the unloaded domain, and hang the
        /// reload, so a domain unload frees.
        /// </summary>
        protected static bool RuntimeEnding()
        {
            return Environment.HasShutdownStarted && !AppDomain.CurrentDomain.IsFinalizingForUnload();
        }
    }

    /// <summary>
    /// A client, and its log hook: released only after the native free. Disposed while another
    /// thread is inside a call, the SafeHandle postpones the free until that call returns, and
    /// the call logs on its way out: the hook must still be there.
    /// </summary>
    internal sealed class ClientHandle : GameyeHandle
    {
        private readonly IDisposable logShare;

        public ClientHandle(IntPtr handle, IDisposable logShare) : base(handle) { this.logShare = logShare; }

        protected override bool ReleaseHandle()
        {
            // Freeing a client joins its threads and runs its last completions, which call back
            // into managed code. When the runtime is shutting down (the finalizer thread at exit)
            // that can block for ever, so the client is left to the process's end instead: the
            // OS reclaims it. Clients are disposed earlier, on ProcessExit, while the runtime is
            // whole (GameyeClient), so this is only the last resort.
            if (RuntimeEnding())
            {
                return true;
            }
            NativeMethods.gameye_client_free(handle);
            if (logShare != null)
            {
                logShare.Dispose(); // no log line can arrive any more
            }
            return true;
        }
    }

    internal sealed class ConfigHandle : GameyeHandle
    {
        public ConfigHandle() : base(NativeMethods.gameye_client_config_new()) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_client_config_free(handle); return true; }
    }

    internal sealed class ListOptionsHandle : GameyeHandle
    {
        public ListOptionsHandle() : base(NativeMethods.gameye_list_options_new()) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_list_options_free(handle); return true; }
    }

    internal sealed class StartOptionsHandle : GameyeHandle
    {
        public StartOptionsHandle() : base(NativeMethods.gameye_start_options_new()) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_start_options_free(handle); return true; }
    }

    internal sealed class LogStreamHandle : GameyeHandle
    {
        public LogStreamHandle(IntPtr handle) : base(handle) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_log_stream_free(handle); return true; }
    }

    internal sealed class ReporterOptionsHandle : GameyeHandle
    {
        public ReporterOptionsHandle() : base(NativeMethods.gameye_roster_reporter_options_new()) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_roster_reporter_options_free(handle); return true; }
    }

    /// <summary>
    /// A roster reporter, and what its worker may call back into: the failure sink's GCHandle and
    /// the client's log hook, released only after the native free (no callback can come then).
    /// </summary>
    internal sealed class ReporterHandle : GameyeHandle
    {
        private GCHandle sink;
        private readonly IDisposable logShare;

        public ReporterHandle(IntPtr handle, GCHandle sink, IDisposable logShare) : base(handle)
        {
            this.sink = sink;
            this.logShare = logShare;
        }

        protected override bool ReleaseHandle()
        {
            // As ClientHandle: freeing joins the reporter's worker, which may be inside the
            // failure callback (managed code); at runtime shutdown the OS reclaims it instead.
            if (RuntimeEnding())
            {
                return true;
            }
            NativeMethods.gameye_roster_reporter_free(handle);
            if (sink.IsAllocated)
            {
                sink.Free();
            }
            if (logShare != null)
            {
                logShare.Dispose();
            }
            return true;
        }
    }

    internal sealed class WatchOptionsHandle : GameyeHandle
    {
        public WatchOptionsHandle() : base(NativeMethods.gameye_watch_options_new()) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_watch_options_free(handle); return true; }
    }

    /// <summary>
    /// A session watch. Freeing it joins its thread, which never runs managed code (the binding
    /// takes events with gameye_watch_next), so it is freed at runtime shutdown too.
    /// </summary>
    internal sealed class WatchHandle : GameyeHandle
    {
        public WatchHandle(IntPtr handle) : base(handle) { }
        protected override bool ReleaseHandle() { NativeMethods.gameye_watch_free(handle); return true; }
    }

    /// <summary>A native result (error, list, session, ...) freed by the function given.</summary>
    internal sealed class ResultHandle : GameyeHandle
    {
        private readonly Action<IntPtr> free;
        public ResultHandle(IntPtr handle, Action<IntPtr> free) : base(handle) { this.free = free; }
        public IntPtr Pointer { get { return handle; } }
        protected override bool ReleaseHandle() { free(handle); return true; }
    }
}
