// The client's connection rules, for diagnostics: an editor's "check" button, a build step that
// checks its token. Blocking: call them off the main thread.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Gameye
{
    /// <summary>How a client trusts TLS servers.</summary>
    public enum TlsRoots
    {
        /// <summary>Plain http:// (loopback, or allowed insecure http): no TLS.</summary>
        None = 0,
        /// <summary>The bundled Mozilla roots.</summary>
        Bundled = 1,
        /// <summary>The CA certificates set in GameyeClientOptions, in place of the bundled roots.</summary>
        Custom = 2,
    }

    /// <summary>Whether a token may call an operation.</summary>
    public enum AccessGrant
    {
        /// <summary>The request passed authorization (any answer but 401 and 403).</summary>
        Granted = 0,
        /// <summary>401 (the token is not accepted) or 403 (it lacks the scope); see AccessCheck.Error.</summary>
        Refused = 1,
        /// <summary>No answer, or one that says nothing about access (a transport error, a 5xx).</summary>
        Unknown = 2,
    }

    /// <summary>What one probe request found (GameyeClient.Probe).</summary>
    public sealed class ProbeResult
    {
        /// <summary>The HTTP status of the answer.</summary>
        public int HttpStatus { get; internal set; }
        /// <summary>From sending the request to the response head.</summary>
        public TimeSpan Elapsed { get; internal set; }
        /// <summary>The server's clock from its Date header (one-second resolution); null when it sent none that reads.</summary>
        public DateTimeOffset? ServerTime { get; internal set; }
        /// <summary>Whether it went over TLS, the handshake done and the certificate verified against the client's roots.</summary>
        public bool TlsVerified { get; internal set; }
    }

    /// <summary>One operation's access check (GameyeClient.CheckAccess).</summary>
    public sealed class AccessCheck
    {
        /// <summary>The scope, e.g. "session:stop".</summary>
        public string Scope { get; internal set; }
        /// <summary>The operation that needs it, e.g. "stop a session".</summary>
        public string Operation { get; internal set; }
        /// <summary>Whether the token has it.</summary>
        public AccessGrant Grant { get; internal set; }
        /// <summary>Why it is Refused or Unknown (the server's or the transport's error); null when Granted.</summary>
        public GameyeException Error { get; internal set; }
    }

    public sealed partial class GameyeClient
    {
        /// <summary>The base URL this client sends to, as the library checked it (never with credentials).</summary>
        public string Endpoint
        {
            get { return Utf8.Decode(NativeMethods.gameye_client_endpoint(handle)); }
        }

        /// <summary>How this client trusts TLS servers.</summary>
        public TlsRoots TlsRoots
        {
            get
            {
                UIntPtr count;
                return (TlsRoots)NativeMethods.gameye_client_tls_roots(handle, out count);
            }
        }

        /// <summary>
        /// One GET /session with this client's own settings (TLS roots, proxy), once, without retries, with the token when
        /// `authorized`. Any HTTP answer is a result; no answer throws the error a call would give, said more exactly for TLS
        /// (a port that speaks plain HTTP, or the certificate the server presented). Blocks.
        /// </summary>
        public ProbeResult Probe(bool authorized)
        {
            IntPtr probe, error;
            int status = NativeMethods.gameye_client_probe(handle, authorized, out probe, out error);
            return Take(status, probe, error, NativeMethods.gameye_probe_free, p =>
            {
                long server = NativeMethods.gameye_probe_server_time_unix_ms(p);
                return new ProbeResult
                {
                    HttpStatus = NativeMethods.gameye_probe_http_status(p),
                    Elapsed = TimeSpan.FromMilliseconds(NativeMethods.gameye_probe_elapsed_ms(p)),
                    ServerTime = server == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(server),
                    TlsVerified = NativeMethods.gameye_probe_tls_verified(p),
                };
            });
        }

        /// <summary>
        /// Which operations this client's token may call, one check per scope, each asked with a request that changes
        /// nothing (a list, a start with an empty body, a stop, logs and artifacts of the nil session id, the locations of an
        /// image that cannot exist). Six requests. Blocks.
        /// </summary>
        public IReadOnlyList<AccessCheck> CheckAccess()
        {
            IntPtr list, error;
            int status = NativeMethods.gameye_client_check_access(handle, out list, out error);
            return Take(status, list, error, NativeMethods.gameye_access_list_free, l =>
            {
                var checks = new List<AccessCheck>();
                int count = checked((int)NativeMethods.gameye_access_list_len(l).ToUInt64());
                for (int i = 0; i < count; i++)
                {
                    IntPtr access = NativeMethods.gameye_access_list_get(l, (UIntPtr)i);
                    IntPtr why = NativeMethods.gameye_access_error(access);
                    checks.Add(new AccessCheck
                    {
                        Scope = Utf8.Decode(NativeMethods.gameye_access_scope(access)),
                        Operation = Utf8.Decode(NativeMethods.gameye_access_operation(access)),
                        Grant = (AccessGrant)NativeMethods.gameye_access_grant(access),
                        Error = why == IntPtr.Zero ? null : GameyeException.Copy(NativeMethods.gameye_error_status(why), why),
                    });
                }
                return (IReadOnlyList<AccessCheck>)new ReadOnlyCollection<AccessCheck>(checks);
            });
        }
    }
}
