namespace Gameye
{
    public sealed partial class GameyeClient
    {
        /// <summary>
        /// A roster reporter for sessionId (the session this server runs in: see
        /// GameyeSessionContext), on this client's account and settings (the token needs
        /// session:join; session:read for Resync; session:stop for StopSession). It starts a worker
        /// thread of its own and makes no request. The reporter keeps what it needs of the client:
        /// this client may be disposed first. Dispose the reporter too.
        /// </summary>
        public RosterReporter CreateRosterReporter(string sessionId, RosterReporterOptions options = null)
        {
            return new RosterReporter(handle, sessionId, options, logSink == null ? null : logSink.Share());
        }
    }
}
