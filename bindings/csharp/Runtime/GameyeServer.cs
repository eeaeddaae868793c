// The dedicated server's side of Gameye in one object: the session it runs in, its players
// reported through a RosterReporter, the end of the match, and a flush when the process exits.
// Engine-free: wire PlayerJoined and PlayerLeft to your networking's connect and disconnect.
using System;
using System.Collections.Generic;

namespace Gameye
{
    /// <summary>
    /// A dedicated server inside a Gameye session: reports its players (so matchmakers can
    /// backfill with PlayerCount) and stops its own session when the match ends. Exists only
    /// inside a session (TryStart is false elsewhere: in the Editor, or a server started by hand).
    /// PlayerJoined and PlayerLeft never block and do no I/O: call them from the main thread as
    /// players connect and disconnect. End the match with StopSession (it flushes first). When
    /// the process exits without Dispose through ProcessExit (Main returning, Environment.Exit,
    /// Application.Quit), what is pending is flushed for up to FlushOnExitTimeout first. Mono
    /// runs no ProcessExit on SIGTERM (how Gameye ends a stopped session's process): call
    /// Dispose from your engine's quit hook instead. Thread-safe.
    /// </summary>
    public sealed class GameyeServer : IDisposable
    {
        /// <summary>How long Dispose and process exit wait for unsent reports by default: 5 s.</summary>
        public static readonly TimeSpan DefaultFlushOnExitTimeout = TimeSpan.FromSeconds(5);

        private static readonly List<WeakReference> Open = new List<WeakReference>();
        private readonly GameyeClient client;
        private readonly RosterReporter reporter;
        private readonly object closing = new object();
        private bool disposed;

        static GameyeServer()
        {
            AppDomain.CurrentDomain.ProcessExit += (sender, args) => DisposeAll();
            AppDomain.CurrentDomain.DomainUnload += (sender, args) => DisposeAll();
        }

        private GameyeServer(GameyeSessionContext session, GameyeClientOptions clientOptions, RosterReporterOptions reporting)
        {
            Session = session;
            FlushOnExitTimeout = DefaultFlushOnExitTimeout;
            client = new GameyeClient(clientOptions ?? new GameyeClientOptions());
            try
            {
                reporter = client.CreateRosterReporter(session.SessionId, reporting);
            }
            catch
            {
                client.Dispose();
                throw;
            }
            lock (Open)
            {
                Open.RemoveAll(reference => !reference.IsAlive);
                Open.Add(new WeakReference(this));
            }
        }

        /// <summary>
        /// The server of the session this process runs in, or false outside a session
        /// (GAMEYE_SESSION_ID unset). `clientOptions` null: endpoint and token from the
        /// environment (GAMEYE_API_ENDPOINT, GAMEYE_API_TOKEN: a token with session:join and
        /// session:stop only). Throws GameyeException when the client cannot be made (no token).
        /// </summary>
        public static bool TryStart(out GameyeServer server, GameyeClientOptions clientOptions = null,
            RosterReporterOptions reporting = null)
        {
            GameyeSessionContext session;
            server = GameyeSessionContext.TryGetCurrent(out session) ? new GameyeServer(session, clientOptions, reporting) : null;
            return server != null;
        }

        /// <summary>The session this server runs in (its id and host).</summary>
        public GameyeSessionContext Session { get; private set; }

        /// <summary>The id of the session this server runs in.</summary>
        public string SessionId { get { return Session.SessionId; } }

        /// <summary>How long Dispose (and process exit) wait for unsent reports before dropping them.</summary>
        public TimeSpan FlushOnExitTimeout { get; set; }

        /// <summary>Reports that a player connected. Never blocks. Throws GameyeException: RateLimited past the reporter's MaxPending, Cancelled after StopSession or Dispose.</summary>
        public void PlayerJoined(string playerId)
        {
            reporter.PlayerJoined(playerId);
        }

        /// <summary>Reports that a player disconnected (one never reported as joined is ignored). Never blocks. Throws as PlayerJoined.</summary>
        public void PlayerLeft(string playerId)
        {
            reporter.PlayerLeft(playerId);
        }

        /// <summary>Players whose join or leave Gameye has not acknowledged yet.</summary>
        public int Pending { get { return reporter.Pending; } }

        /// <summary>Ok while reporting works, or the permanent failure that stopped it (Unauthorized, Forbidden, NotFound).</summary>
        public GameyeStatus Status { get { return reporter.Status; } }

        /// <summary>Waits until every report is acknowledged, up to `timeout`. Blocks: not on a running game's main thread. Throws GameyeException (Timeout, or the failure that stopped reporting).</summary>
        public void Flush(TimeSpan timeout)
        {
            reporter.Flush(GameyeClient.Millis(timeout));
        }

        /// <summary>
        /// The end of the match: flushes (up to `timeout`), then stops this session; Gameye then
        /// ends this process (SIGTERM). Blocks. Later reports throw (Cancelled).
        /// </summary>
        public void StopSession(TimeSpan timeout)
        {
            reporter.StopSession(GameyeClient.Millis(timeout));
        }

        /// <summary>
        /// Flushes what is pending (up to FlushOnExitTimeout; a failure is dropped: the process is
        /// ending), then frees the reporter and the client. Idempotent; later calls throw.
        /// </summary>
        public void Dispose()
        {
            lock (closing)
            {
                if (disposed)
                {
                    return;
                }
                disposed = true;
            }
            try
            {
                if (reporter.Status == GameyeStatus.Ok && reporter.Pending > 0)
                {
                    reporter.Flush(GameyeClient.Millis(FlushOnExitTimeout));
                }
            }
            catch (GameyeException)
            {
                // Stopped, timed out, or the session is gone: nothing more can be sent.
            }
            finally
            {
                reporter.Dispose();
                client.Dispose();
            }
        }

        /// <summary>Disposes (and so flushes) every server still open: Gameye.Unity's quit hook.</summary>
        internal static void DisposeAll()
        {
            List<WeakReference> open;
            lock (Open)
            {
                open = new List<WeakReference>(Open);
                Open.Clear();
            }
            foreach (WeakReference reference in open)
            {
                var server = reference.Target as GameyeServer;
                if (server != null)
                {
                    server.Dispose();
                }
            }
        }
    }
}
