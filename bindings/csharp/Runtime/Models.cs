// Managed copies of what the library returns: every string is copied before the native result is
// freed, so these objects live as long as the caller keeps them, on any thread.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Gameye
{
    /// <summary>The status of a call; the values are gameye.h's GAMEYE_STATUS_*.</summary>
    public enum GameyeStatus
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>A null, malformed or out-of-range argument, refused before any request.</summary>
        InvalidArgument = 1,
        /// <summary>DNS, connect, TLS, a reset or a cut body: no complete answer.</summary>
        Transport = 2,
        /// <summary>The configured timeout passed.</summary>
        Timeout = 3,
        /// <summary>A 2xx answer that could not be read.</summary>
        Decode = 4,
        /// <summary>HTTP 401: the token was refused (a sandbox token on production?).</summary>
        Unauthorized = 5,
        /// <summary>HTTP 402: the account's quota is used up.</summary>
        QuotaExhausted = 6,
        /// <summary>HTTP 403: the token lacks the scope.</summary>
        Forbidden = 7,
        /// <summary>HTTP 404.</summary>
        NotFound = 8,
        /// <summary>HTTP 409, e.g. the session had already stopped.</summary>
        Conflict = 9,
        /// <summary>HTTP 429 (retried first; see GameyeException.Hint for the wait).</summary>
        RateLimited = 10,
        /// <summary>HTTP 400 or 422: the API refused the request (see GameyeException.Violations).</summary>
        InvalidRequest = 11,
        /// <summary>HTTP 5xx.</summary>
        Server = 12,
        /// <summary>Another unexpected HTTP status.</summary>
        Http = 13,
        /// <summary>Cancelled: by a token, a Cancel, Dispose or process exit.</summary>
        Cancelled = 14,
        /// <summary>A bug in the library (a caught panic): please report it.</summary>
        Internal = 15,
        /// <summary>A waited-for session ended before it reached the state asked for.</summary>
        SessionEnded = 16,
    }

    /// <summary>The state WaitForSession waits for (gameye.h's GAMEYE_SESSION_STATE_*).</summary>
    public enum SessionState
    {
        /// <summary>Status "running": players can connect to its host and ports.</summary>
        Running = 1,
        /// <summary>Gone from the active list, or status "exited" or "dead".</summary>
        Ended = 2,
    }

    /// <summary>What happened to a session between two polls of a SessionWatch.</summary>
    public enum SessionWatchEventKind
    {
        /// <summary>It appeared (every session of the first poll is added).</summary>
        Added = 1,
        /// <summary>Its status, player count, ports or host changed (see Changes).</summary>
        Changed = 2,
        /// <summary>It is gone from the list (it ended, or no longer matches the filter).</summary>
        Removed = 3,
    }

    /// <summary>The fields in which a changed session differs (gameye.h's GAMEYE_WATCH_CHANGE_*).</summary>
    [Flags]
    public enum SessionChanges
    {
        /// <summary>Nothing (added and removed sessions).</summary>
        None = 0,
        /// <summary>The status.</summary>
        Status = 1,
        /// <summary>The player count.</summary>
        PlayerCount = 2,
        /// <summary>The ports (names or host ports).</summary>
        Ports = 4,
        /// <summary>The host address.</summary>
        Host = 8,
    }

    /// <summary>One change a SessionWatch saw.</summary>
    public sealed class SessionWatchEvent
    {
        /// <summary>Added, changed or removed.</summary>
        public SessionWatchEventKind Kind { get; internal set; }
        /// <summary>For a changed session, what differs; None otherwise.</summary>
        public SessionChanges Changes { get; internal set; }
        /// <summary>The session as now seen (for a removed one, as last seen).</summary>
        public Session Session { get; internal set; }
        /// <summary>For a changed session, as the poll before saw it; null otherwise.</summary>
        public Session Previous { get; internal set; }
    }

    /// <summary>A mapped port: players connect to Host:HostPort.</summary>
    public sealed class Port
    {
        /// <summary>As sent, e.g. "7777/udp".</summary>
        public string Name { get; internal set; }
        /// <summary>"tcp" or "udp"; null when unknown.</summary>
        public string Protocol { get; internal set; }
        /// <summary>The port inside the container.</summary>
        public int ContainerPort { get; internal set; }
        /// <summary>The port on the host that players connect to.</summary>
        public int HostPort { get; internal set; }
    }

    /// <summary>A session (a list entry or a described session).</summary>
    public sealed class Session
    {
        /// <summary>The session's id (a UUID, or the id given at start).</summary>
        public string Id { get; internal set; }
        /// <summary>The image the session runs.</summary>
        public string Image { get; internal set; }
        /// <summary>The image tag; null when not sent.</summary>
        public string Tag { get; internal set; }
        /// <summary>The location it runs in, e.g. "europe".</summary>
        public string Location { get; internal set; }
        /// <summary>The address players connect to.</summary>
        public string Host { get; internal set; }
        /// <summary>"running", ... (an open set); null when not sent.</summary>
        public string Status { get; internal set; }
        /// <summary>When it was started.</summary>
        public DateTimeOffset Created { get; internal set; }
        /// <summary>Null when not sent.</summary>
        public int? PlayerCount { get; internal set; }
        /// <summary>Its ports: container port, host port and protocol.</summary>
        public IReadOnlyList<Port> Ports { get; internal set; }
        /// <summary>Every label as the API sent it (Tags and Env are read from it).</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; }
        /// <summary>Your labels (from Labels["tags"]).</summary>
        public IReadOnlyDictionary<string, string> Tags { get; internal set; }
        /// <summary>The container env (from Labels["env"]); readable by anyone with session:read.</summary>
        public IReadOnlyDictionary<string, string> Env { get; internal set; }
        /// <summary>Joined players of a described session; null for a list entry.</summary>
        public IReadOnlyList<string> Players { get; internal set; }
    }

    /// <summary>A started session: where players connect.</summary>
    public sealed class StartedSession
    {
        /// <summary>The id of the session that was started.</summary>
        public string Id { get; internal set; }
        /// <summary>The address players connect to.</summary>
        public string Host { get; internal set; }
        /// <summary>Its ports: container port, host port and protocol.</summary>
        public IReadOnlyList<Port> Ports { get; internal set; }
    }

    /// <summary>The answer to a join or leave.</summary>
    public sealed class Roster
    {
        /// <summary>Players in the session after the call; null when not sent.</summary>
        public int? Count { get; internal set; }
        /// <summary>The ids the call joined or removed.</summary>
        public IReadOnlyList<string> Players { get; internal set; }
    }

    /// <summary>A location that can host an image now.</summary>
    public sealed class AvailableLocation
    {
        /// <summary>The location's id, as StartSessionOptions.Location takes it.</summary>
        public string Id { get; internal set; }
        /// <summary>Addresses to ping for latency.</summary>
        public IReadOnlyList<string> Ips { get; internal set; }
    }

    /// <summary>Copies native results into the models above.</summary>
    internal static class Read
    {
        private static int Count(UIntPtr count) { return checked((int)count.ToUInt64()); }

        public static IReadOnlyList<string> Strings(IntPtr list)
        {
            var items = new List<string>();
            int count = Count(NativeMethods.gameye_string_list_len(list));
            for (int i = 0; i < count; i++)
            {
                items.Add(Utf8.Decode(NativeMethods.gameye_string_list_get(list, (UIntPtr)i)));
            }
            return new ReadOnlyCollection<string>(items);
        }

        public static IReadOnlyDictionary<string, string> Map(IntPtr map)
        {
            var items = new Dictionary<string, string>();
            int count = Count(NativeMethods.gameye_string_map_len(map));
            for (int i = 0; i < count; i++)
            {
                items[Utf8.Decode(NativeMethods.gameye_string_map_key(map, (UIntPtr)i))] =
                    Utf8.Decode(NativeMethods.gameye_string_map_value(map, (UIntPtr)i));
            }
            return new ReadOnlyDictionary<string, string>(items);
        }

        public static Port Port(IntPtr port)
        {
            return new Port
            {
                Name = Utf8.Decode(NativeMethods.gameye_port_name(port)),
                Protocol = Utf8.Decode(NativeMethods.gameye_port_protocol(port)),
                ContainerPort = NativeMethods.gameye_port_container(port),
                HostPort = NativeMethods.gameye_port_host(port),
            };
        }

        public static Session Session(IntPtr session)
        {
            var ports = new List<Port>();
            int count = Count(NativeMethods.gameye_session_port_count(session));
            for (int i = 0; i < count; i++)
            {
                ports.Add(Port(NativeMethods.gameye_session_port_get(session, (UIntPtr)i)));
            }
            long players = NativeMethods.gameye_session_player_count(session);
            IntPtr joined = NativeMethods.gameye_session_players(session);
            return new Session
            {
                Id = Utf8.Decode(NativeMethods.gameye_session_id(session)),
                Image = Utf8.Decode(NativeMethods.gameye_session_image(session)),
                Tag = Utf8.Decode(NativeMethods.gameye_session_tag(session)),
                Location = Utf8.Decode(NativeMethods.gameye_session_location(session)),
                Host = Utf8.Decode(NativeMethods.gameye_session_host(session)),
                Status = Utf8.Decode(NativeMethods.gameye_session_status(session)),
                Created = DateTimeOffset.FromUnixTimeMilliseconds(NativeMethods.gameye_session_created(session)),
                PlayerCount = players < 0 ? (int?)null : (int)Math.Min(players, int.MaxValue),
                Ports = new ReadOnlyCollection<Port>(ports),
                Labels = Map(NativeMethods.gameye_session_labels(session)),
                Tags = Map(NativeMethods.gameye_session_tags(session)),
                Env = Map(NativeMethods.gameye_session_env(session)),
                Players = joined == IntPtr.Zero ? null : Strings(joined),
            };
        }

        public static SessionWatchEvent WatchEvent(IntPtr watchEvent)
        {
            IntPtr previous = NativeMethods.gameye_watch_event_previous(watchEvent);
            return new SessionWatchEvent
            {
                Kind = (SessionWatchEventKind)NativeMethods.gameye_watch_event_kind(watchEvent),
                Changes = (SessionChanges)NativeMethods.gameye_watch_event_changes(watchEvent),
                Session = Session(NativeMethods.gameye_watch_event_session(watchEvent)),
                Previous = previous == IntPtr.Zero ? null : Session(previous),
            };
        }

        public static IReadOnlyList<Session> SessionList(IntPtr list)
        {
            var sessions = new List<Session>();
            int count = Count(NativeMethods.gameye_session_list_len(list));
            for (int i = 0; i < count; i++)
            {
                sessions.Add(Session(NativeMethods.gameye_session_list_get(list, (UIntPtr)i)));
            }
            return new ReadOnlyCollection<Session>(sessions);
        }

        public static StartedSession Started(IntPtr started)
        {
            var ports = new List<Port>();
            int count = Count(NativeMethods.gameye_started_session_port_count(started));
            for (int i = 0; i < count; i++)
            {
                ports.Add(Port(NativeMethods.gameye_started_session_port_get(started, (UIntPtr)i)));
            }
            return new StartedSession
            {
                Id = Utf8.Decode(NativeMethods.gameye_started_session_id(started)),
                Host = Utf8.Decode(NativeMethods.gameye_started_session_host(started)),
                Ports = new ReadOnlyCollection<Port>(ports),
            };
        }

        public static Roster Roster(IntPtr roster)
        {
            long count = NativeMethods.gameye_roster_count(roster);
            return new Roster
            {
                Count = count < 0 ? (int?)null : (int)Math.Min(count, int.MaxValue),
                Players = Strings(NativeMethods.gameye_roster_players(roster)),
            };
        }

        public static string Logs(IntPtr logs)
        {
            return Utf8.Decode(NativeMethods.gameye_logs_data(logs), Count(NativeMethods.gameye_logs_len(logs))) ?? string.Empty;
        }

        public static IReadOnlyList<AvailableLocation> Locations(IntPtr list)
        {
            var locations = new List<AvailableLocation>();
            int count = Count(NativeMethods.gameye_location_list_len(list));
            for (int i = 0; i < count; i++)
            {
                IntPtr location = NativeMethods.gameye_location_list_get(list, (UIntPtr)i);
                locations.Add(new AvailableLocation
                {
                    Id = Utf8.Decode(NativeMethods.gameye_location_id(location)),
                    Ips = Strings(NativeMethods.gameye_location_ips(location)),
                });
            }
            return new ReadOnlyCollection<AvailableLocation>(locations);
        }
    }
}
