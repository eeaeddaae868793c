// The async calls of GameyeClient: each queued on the native worker pool, its Task completed by
// the native callback thread; continuations return to the caller's SynchronizationContext.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Gameye
{
    public sealed partial class GameyeClient
    {
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

        /// <summary>ListSessions without blocking; `cancellation` ends it at once (nothing is sent when it is already cancelled).</summary>
        public Task<IReadOnlyList<Session>> ListSessionsAsync(ListSessionsOptions options = null, CancellationToken cancellation = default(CancellationToken))
        {
            using (var native = ListOptions(options))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_session_list, NativeMethods.gameye_session_list_free, Read.SessionList), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_list_sessions_async(handle, native, callback, data, out request, out error));
            }
        }

        /// <summary>DescribeSession without blocking.</summary>
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

        /// <summary>StopSession without blocking.</summary>
        public Task StopSessionAsync(string id, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(completion => true, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_stop_session_async(handle, Utf8.Encode(id), callback, data, out request, out error));
        }

        /// <summary>JoinSession without blocking.</summary>
        public Task<Roster> JoinSessionAsync(string sessionId, string[] players, CancellationToken cancellation = default(CancellationToken))
        {
            using (var ids = new Utf8Array(players))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_roster, NativeMethods.gameye_roster_free, Read.Roster), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_join_session_async(handle, Utf8.Encode(sessionId), ids.Pointers, ids.Count, callback, data, out request, out error));
            }
        }

        /// <summary>LeaveSession without blocking.</summary>
        public Task<Roster> LeaveSessionAsync(string[] players, CancellationToken cancellation = default(CancellationToken))
        {
            using (var ids = new Utf8Array(players))
            {
                return Start(Taken(NativeMethods.gameye_completion_take_roster, NativeMethods.gameye_roster_free, Read.Roster), cancellation,
                    (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                        NativeMethods.gameye_leave_session_async(handle, ids.Pointers, ids.Count, callback, data, out request, out error));
            }
        }

        /// <summary>GetLogs without blocking.</summary>
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

        /// <summary>GetAvailableLocations without blocking.</summary>
        public Task<IReadOnlyList<AvailableLocation>> GetAvailableLocationsAsync(string image, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(Taken(NativeMethods.gameye_completion_take_location_list, NativeMethods.gameye_location_list_free, Read.Locations), cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_get_available_locations_async(handle, Utf8.Encode(image), callback, data, out request, out error));
        }

        /// <summary>TagExists without blocking.</summary>
        public Task<bool> TagExistsAsync(string region, string image, string version, CancellationToken cancellation = default(CancellationToken))
        {
            return Start(NativeMethods.gameye_completion_tag_exists, cancellation,
                (NativeMethods.CompletionCallback callback, IntPtr data, out IntPtr request, out IntPtr error) =>
                    NativeMethods.gameye_tag_exists_async(handle, Utf8.Encode(region), Utf8.Encode(image), Utf8.Encode(version), callback, data,
                        out request, out error));
        }
    }
}
