using System;
using System.Collections.Generic;

namespace Gameye
{
    /// <summary>Client settings. Unset values come from GAMEYE_API_ENDPOINT / GAMEYE_API_TOKEN and defaults.</summary>
    public sealed class GameyeClientOptions
    {
        /// <summary>E.g. "https://api.sandbox-gameye.gameye.net"; null: the environment, then production.</summary>
        public string BaseUrl { get; set; }
        /// <summary>Keep it on servers and tools; never ship it in a game client.</summary>
        public string Token { get; set; }
        /// <summary>Timeout of a whole request; 0: the default (30 s).</summary>
        public uint TimeoutMs { get; set; }
        /// <summary>Retries of requests that are safe to repeat; null: the default (2).</summary>
        public uint? Retries { get; set; }
        /// <summary>The first retry's delay; each later one doubles it (default 200 ms).</summary>
        public uint RetryBaseDelayMs { get; set; } = 200;
        /// <summary>The longest delay between retries (default 5000 ms).</summary>
        public uint RetryMaxDelayMs { get; set; } = 5000;
        /// <summary>Worker threads for the async calls; 0: the default (4).</summary>
        public uint WorkerThreads { get; set; }
        /// <summary>Async requests held at once before a call is refused (RateLimited); 0: the default (10000).</summary>
        public uint MaxInFlight { get; set; }
        /// <summary>Limit on connecting (DNS, TCP, TLS) within the timeout; 0: none of its own.</summary>
        public uint ConnectTimeoutMs { get; set; }
        /// <summary>The largest JSON response read; 0: the default (64 MiB).</summary>
        public ulong MaxBodyBytes { get; set; }
        /// <summary>Plain http:// to hosts other than loopback (a TLS-terminating proxy). Off by default.</summary>
        public bool AllowInsecureHttp { get; set; }
        /// <summary>PEM CA certificates trusted instead of the bundled roots (a TLS-inspecting proxy); null: the bundled roots.</summary>
        public string CaCertificatesPem { get; set; }
        /// <summary>
        /// Receives one line per request (never the token), up to LogLevel. Called on library
        /// threads, several at once: it must be thread-safe and quick (e.g. queue the line for
        /// the main thread). An exception it throws is swallowed.
        /// </summary>
        public Action<GameyeLogLevel, string> Log { get; set; }
        /// <summary>The most detailed level Log hears (default Info).</summary>
        public GameyeLogLevel LogLevel { get; set; } = GameyeLogLevel.Info;
    }

    /// <summary>How much the log hook hears (gameye.h's GAMEYE_LOG_*); each includes those above it.</summary>
    public enum GameyeLogLevel
    {
        /// <summary>Nothing.</summary>
        Off = 0,
        /// <summary>Failures of the library itself.</summary>
        Error = 1,
        /// <summary>Requests that failed.</summary>
        Warn = 2,
        /// <summary>Every request (method, path, outcome, time; never the token).</summary>
        Info = 3,
        /// <summary>Detail for debugging.</summary>
        Debug = 4,
    }

    /// <summary>Bytes of an artifact downloaded so far, and the total when the server said it.</summary>
    public struct DownloadProgress
    {
        /// <summary>Bytes written so far.</summary>
        public ulong Received;
        /// <summary>The archive's size, when the server said it; else null.</summary>
        public ulong? Total;
    }

    /// <summary>Filters for listing sessions (exact, case-sensitive).</summary>
    public sealed class ListSessionsOptions
    {
        /// <summary>Sessions in every status, not only running ones.</summary>
        public bool All { get; set; }
        /// <summary>Only sessions in this location.</summary>
        public string Location { get; set; }
        /// <summary>Only sessions of this image.</summary>
        public string Image { get; set; }
        /// <summary>Only sessions of this image tag.</summary>
        public string Tag { get; set; }
        /// <summary>Only sessions on this host IP address.</summary>
        public string Host { get; set; }
        /// <summary>Only sessions with fewer players than this.</summary>
        public long? PlayerCountLessThan { get; set; }
        /// <summary>Only sessions with more players than this.</summary>
        public long? PlayerCountGreaterThan { get; set; }
        /// <summary>Only sessions whose label equals the value.</summary>
        public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>();
    }

    /// <summary>What to start: Location and Image are required.</summary>
    public sealed class StartSessionOptions
    {
        /// <summary>Null: the library generates a UUIDv4 (a retried start never allocates twice).</summary>
        public string Id { get; set; }
        /// <summary>Where to start it, e.g. "europe" (see GetAvailableLocations). Required.</summary>
        public string Location { get; set; }
        /// <summary>The image to run. Required.</summary>
        public string Image { get; set; }
        /// <summary>The image tag; null: the default.</summary>
        public string Version { get; set; }
        /// <summary>"&lt;N&gt;h&lt;M&gt;m", e.g. "1h30m".</summary>
        public string Ttl { get; set; }
        /// <summary>Your own id for the session (a match id); null: none.</summary>
        public string ExternalId { get; set; }
        /// <summary>Restart the container when it exits; null: the API's default.</summary>
        public bool? Restart { get; set; }
        /// <summary>Never secrets: readable by anyone with session:read.</summary>
        public IDictionary<string, string> Env { get; } = new Dictionary<string, string>();
        /// <summary>Arguments for the container's command.</summary>
        public IList<string> Args { get; } = new List<string>();
        /// <summary>Your labels, listed back as Session.Tags and usable as list filters.</summary>
        public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>();
    }
}
