// The blocking calls of GameyeClient: for tools and build pipelines, never on a game's main thread.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Gameye
{
    public sealed partial class GameyeClient
    {
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

        /// <summary>The running sessions (every one with All), filtered by `options` (may be null). Blocks. Throws GameyeException.</summary>
        public IReadOnlyList<Session> ListSessions(ListSessionsOptions options = null)
        {
            using (var native = ListOptions(options))
            {
                IntPtr list, error;
                int status = NativeMethods.gameye_list_sessions(handle, native, out list, out error);
                return Take(status, list, error, NativeMethods.gameye_session_list_free, Read.SessionList);
            }
        }

        /// <summary>One session, with its joined players. Blocks. Throws GameyeException (NotFound when there is none).</summary>
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

        /// <summary>Stops a session (see StopSessionAndWait to wait until it has ended). Blocks. Throws GameyeException (NotFound when there is none).</summary>
        public void StopSession(string id)
        {
            IntPtr error;
            int status = NativeMethods.gameye_stop_session(handle, Utf8.Encode(id), out error);
            if (status != 0)
            {
                throw GameyeException.FromNative(status, error);
            }
        }

        /// <summary>Reports players as joined to a session. Blocks. A server reporting its own players should use GameyeServer or a RosterReporter.</summary>
        public Roster JoinSession(string sessionId, params string[] players)
        {
            using (var ids = new Utf8Array(players))
            {
                IntPtr roster, error;
                int status = NativeMethods.gameye_join_session(handle, Utf8.Encode(sessionId), ids.Pointers, ids.Count, out roster, out error);
                return Take(status, roster, error, NativeMethods.gameye_roster_free, Read.Roster);
            }
        }

        /// <summary>Reports players as gone from the session they joined. Blocks.</summary>
        public Roster LeaveSession(params string[] players)
        {
            using (var ids = new Utf8Array(players))
            {
                IntPtr roster, error;
                int status = NativeMethods.gameye_leave_session(handle, ids.Pointers, ids.Count, out roster, out error);
                return Take(status, roster, error, NativeMethods.gameye_roster_free, Read.Roster);
            }
        }

        /// <summary>A session's output so far (see FollowLogs to follow it). Blocks.</summary>
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

        /// <summary>The locations that can host `image` now, with addresses to ping. Blocks.</summary>
        public IReadOnlyList<AvailableLocation> GetAvailableLocations(string image)
        {
            IntPtr list, error;
            int status = NativeMethods.gameye_get_available_locations(handle, Utf8.Encode(image), out list, out error);
            return Take(status, list, error, NativeMethods.gameye_location_list_free, Read.Locations);
        }

        /// <summary>Whether tag `version` of `image` exists in `region`. Blocks.</summary>
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
    }
}
