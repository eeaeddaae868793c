// The blocking calls that take a CancellationToken: each runs its Async form and waits for it, so
// a cancel ends the call at once (the native request's connection is closed) on any platform,
// with the Async form's exceptions unwrapped. For tools and build pipelines, never on a game's
// main thread.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Gameye
{
    public sealed partial class GameyeClient
    {
        /// <summary>
        /// Waits for `task` and returns its result, throwing what it failed with (GameyeException,
        /// or OperationCanceledException when cancelled) rather than an AggregateException. Its
        /// continuations run asynchronously, so waiting here never needs the caller's
        /// SynchronizationContext.
        /// </summary>
        private static T Block<T>(Task<T> task)
        {
            return task.GetAwaiter().GetResult();
        }

        private static void Block(Task task)
        {
            task.GetAwaiter().GetResult();
        }

        /// <summary>ListSessions, ended at once by `cancellation` (OperationCanceledException).</summary>
        public IReadOnlyList<Session> ListSessions(ListSessionsOptions options, CancellationToken cancellation)
        {
            return Block(ListSessionsAsync(options, cancellation));
        }

        /// <summary>DescribeSession, ended at once by `cancellation` (OperationCanceledException).</summary>
        public Session DescribeSession(string id, CancellationToken cancellation)
        {
            return Block(DescribeSessionAsync(id, cancellation));
        }

        /// <summary>
        /// StartSession, ended at once by `cancellation`: a start cancelled after it was sent throws
        /// SessionStartCanceledException naming the session it may have created.
        /// </summary>
        public StartedSession StartSession(StartSessionOptions options, CancellationToken cancellation)
        {
            return Block(StartSessionAsync(options, cancellation));
        }

        /// <summary>StopSession, ended at once by `cancellation` (OperationCanceledException).</summary>
        public void StopSession(string id, CancellationToken cancellation)
        {
            Block(StopSessionAsync(id, cancellation));
        }

        /// <summary>JoinSession, ended at once by `cancellation` (OperationCanceledException).</summary>
        public Roster JoinSession(string sessionId, string[] players, CancellationToken cancellation)
        {
            return Block(JoinSessionAsync(sessionId, players, cancellation));
        }

        /// <summary>LeaveSession, ended at once by `cancellation` (OperationCanceledException).</summary>
        public Roster LeaveSession(string[] players, CancellationToken cancellation)
        {
            return Block(LeaveSessionAsync(players, cancellation));
        }

        /// <summary>GetLogs, ended at once by `cancellation` (OperationCanceledException).</summary>
        public string GetLogs(string sessionId, CancellationToken cancellation)
        {
            return Block(GetLogsAsync(sessionId, cancellation));
        }

        /// <summary>
        /// DownloadArtifact, ended at once by `cancellation` (OperationCanceledException, thrown
        /// once the partial file is removed; a file already at `destination` is kept).
        /// `progress` (may be null) hears how far it got, every 100 ms.
        /// </summary>
        public ulong DownloadArtifact(string sessionId, string path, string destination, ulong maxBytes,
            CancellationToken cancellation, IProgress<DownloadProgress> progress = null)
        {
            return Block(DownloadArtifactAsync(sessionId, path, destination, maxBytes, cancellation, progress));
        }

        /// <summary>FollowLogs, ended at once by `cancellation` while the stream is being opened.</summary>
        public LogStream FollowLogs(string sessionId, uint idleTimeoutMs, CancellationToken cancellation)
        {
            return Block(FollowLogsAsync(sessionId, idleTimeoutMs, cancellation));
        }

        /// <summary>GetAvailableLocations, ended at once by `cancellation` (OperationCanceledException).</summary>
        public IReadOnlyList<AvailableLocation> GetAvailableLocations(string image, CancellationToken cancellation)
        {
            return Block(GetAvailableLocationsAsync(image, cancellation));
        }

        /// <summary>TagExists, ended at once by `cancellation` (OperationCanceledException).</summary>
        public bool TagExists(string region, string image, string version, CancellationToken cancellation)
        {
            return Block(TagExistsAsync(region, image, version, cancellation));
        }

        /// <summary>WaitForSession, ended at once by `cancellation`, also between looks.</summary>
        public Session WaitForSession(string id, SessionState state, TimeSpan timeout, CancellationToken cancellation)
        {
            return Block(WaitForSessionAsync(id, state, timeout, cancellation));
        }

        /// <summary>
        /// StartSessionAndWait, ended at once by `cancellation`: cancelled once the start may have
        /// been sent, it throws SessionStartCanceledException naming the session.
        /// </summary>
        public Session StartSessionAndWait(StartSessionOptions options, TimeSpan timeout, CancellationToken cancellation)
        {
            return Block(StartSessionAndWaitAsync(options, timeout, cancellation));
        }

        /// <summary>StopSessionAndWait, ended at once by `cancellation`, also between looks.</summary>
        public void StopSessionAndWait(string id, TimeSpan timeout, CancellationToken cancellation)
        {
            Block(StopSessionAndWaitAsync(id, timeout, cancellation));
        }
    }
}
