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
        public uint RetryBaseDelayMs { get; set; } = 200;
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
        public GameyeLogLevel LogLevel { get; set; } = GameyeLogLevel.Info;
    }

    /// <summary>How much the log hook hears (gameye.h's GAMEYE_LOG_*); each includes those above it.</summary>
    public enum GameyeLogLevel
    {
        Off = 0,
        Error = 1,
        Warn = 2,
        Info = 3,
        Debug = 4,
    }

    /// <summary>Bytes of an artifact downloaded so far, and the total when the server said it.</summary>
    public struct DownloadProgress
    {
        public ulong Received;
        public ulong? Total;
    }

    /// <summary>Filters for listing sessions (exact, case-sensitive).</summary>
    public sealed class ListSessionsOptions
    {
        public bool All { get; set; }
        public string Location { get; set; }
        public string Image { get; set; }
        public string Tag { get; set; }
        public string Host { get; set; }
        public long? PlayerCountLessThan { get; set; }
        public long? PlayerCountGreaterThan { get; set; }
        /// <summary>Only sessions whose label equals the value.</summary>
        public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>();
    }

    /// <summary>What to start: Location and Image are required.</summary>
    public sealed class StartSessionOptions
    {
        /// <summary>Null: the library generates a UUIDv4 (a retried start never allocates twice).</summary>
        public string Id { get; set; }
        public string Location { get; set; }
        public string Image { get; set; }
        public string Version { get; set; }
        /// <summary>"&lt;N&gt;h&lt;M&gt;m", e.g. "1h30m".</summary>
        public string Ttl { get; set; }
        public string ExternalId { get; set; }
        public bool? Restart { get; set; }
        /// <summary>Never secrets: readable by anyone with session:read.</summary>
        public IDictionary<string, string> Env { get; } = new Dictionary<string, string>();
        public IList<string> Args { get; } = new List<string>();
        public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>();
    }
}
