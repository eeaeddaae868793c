// The raw C ABI (include/gameye.h). Internal: the public API is GameyeClient and its models.
// Rules: IntPtr for every pointer, never a `string` return (the marshaller would free memory the
// library owns); strings passed in are NUL-terminated UTF-8 byte arrays (see Utf8).
using System;
using System.Runtime.InteropServices;

namespace Gameye
{
    internal static class NativeMethods
    {
        // gameye.dll, libgameye.so, libgameye.dylib (the Editor and standalone players only: see
        // Plugins/README.md).
        private const string Library = "gameye";
        private const CallingConvention Cdecl = CallingConvention.Cdecl;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void CompletionCallback(IntPtr completion, IntPtr userData);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogCallback(int level, IntPtr message, IntPtr userData);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal delegate bool ProgressCallback(ulong received, ulong total, IntPtr userData);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void RosterFailureCallback(int status, IntPtr error, IntPtr userData);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void WatchCallback(IntPtr watchEvent, IntPtr userData);

        // Waiting for a session
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_wait_for_session(ClientHandle client, byte[] id, int state, uint timeoutMs, out IntPtr session, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_session_and_wait(ClientHandle client, StartOptionsHandle options, uint timeoutMs, out IntPtr session, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_stop_session_and_wait(ClientHandle client, byte[] id, uint timeoutMs, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_wait_for_session_async(ClientHandle client, byte[] id, int state, uint timeoutMs, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_session_and_wait_async(ClientHandle client, StartOptionsHandle options, uint timeoutMs, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_stop_session_and_wait_async(ClientHandle client, byte[] id, uint timeoutMs, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);

        // Watching sessions
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_watch_options_new();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_watch_options_free(IntPtr options);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_options_set_interval_ms(WatchOptionsHandle options, uint intervalMs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_options_set_list_options(WatchOptionsHandle options, ListOptionsHandle listOptions);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_options_set_callback(WatchOptionsHandle options, WatchCallback callback, IntPtr userData);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_sessions(ClientHandle client, WatchOptionsHandle options, out IntPtr watch, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_next(WatchHandle watch, uint waitMs, out IntPtr watchEvent, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_last_error(WatchHandle watch, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool gameye_watch_is_running(WatchHandle watch);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ulong gameye_watch_polls(WatchHandle watch);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_watch_close(WatchHandle watch);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_watch_free(IntPtr watch);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_watch_event_kind(IntPtr watchEvent);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern uint gameye_watch_event_changes(IntPtr watchEvent);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_watch_event_session(IntPtr watchEvent);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_watch_event_previous(IntPtr watchEvent);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_watch_event_copy(IntPtr watchEvent);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_watch_event_free(IntPtr watchEvent);

        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_version();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_status_name(int status);

        // Config and client
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_client_config_new();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_base_url(ConfigHandle config, byte[] url);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_token(ConfigHandle config, byte[] token);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_timeout_ms(ConfigHandle config, uint timeoutMs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_retry(ConfigHandle config, uint retries, uint baseDelayMs, uint maxDelayMs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_delivery(ConfigHandle config, int delivery);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_connect_timeout_ms(ConfigHandle config, uint timeoutMs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_max_body_bytes(ConfigHandle config, ulong maxBytes);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_allow_insecure_http(ConfigHandle config, [MarshalAs(UnmanagedType.U1)] bool allow);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_ca_certificates_pem(ConfigHandle config, byte[] pem);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_log_callback(ConfigHandle config, int maxLevel, LogCallback callback, IntPtr userData);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_with_retry(ClientHandle client, uint retries, uint baseDelayMs, uint maxDelayMs, out IntPtr newClient, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_worker_threads(ConfigHandle config, uint threads);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_config_set_max_in_flight(ConfigHandle config, uint requests);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_client_config_free(IntPtr config);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_new(ConfigHandle config, out IntPtr client, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_client_close(ClientHandle client);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_client_free(IntPtr client);

        // Errors
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_error_status(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ushort gameye_error_http_status(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_message(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_code(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_details(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_path(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_timestamp(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_identifier(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_hint(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_session_id(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern uint gameye_error_attempts(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_error_violation_count(IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_violation_field(IntPtr error, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_error_violation_description(IntPtr error, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_error_free(IntPtr error);

        // List options and sessions
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_list_options_new();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_all(ListOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool all);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_location(ListOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_image(ListOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_tag(ListOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_host(ListOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_player_count_lt(ListOptionsHandle options, long lt);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_set_player_count_gt(ListOptionsHandle options, long gt);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_options_add_filter(ListOptionsHandle options, byte[] key, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_list_options_free(IntPtr options);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_sessions(ClientHandle client, ListOptionsHandle options, out IntPtr list, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_session_list_len(IntPtr list);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_list_get(IntPtr list, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_session_list_free(IntPtr list);

        // A session
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_id(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_image(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_tag(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_location(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_host(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_status(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern long gameye_session_created(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern long gameye_session_player_count(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_session_port_count(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_port_get(IntPtr session, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_labels(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_tags(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_env(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_players(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_session_free(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_port_name(IntPtr port);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_port_protocol(IntPtr port);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ushort gameye_port_container(IntPtr port);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ushort gameye_port_host(IntPtr port);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_string_map_len(IntPtr map);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_string_map_key(IntPtr map, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_string_map_value(IntPtr map, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_string_list_len(IntPtr list);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_string_list_get(IntPtr list, UIntPtr index);

        // Start, describe, stop
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_start_options_new();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_id(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_location(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_image(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_env(StartOptionsHandle options, byte[] key, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_add_arg(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_restart(StartOptionsHandle options, [MarshalAs(UnmanagedType.U1)] bool restart);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_label(StartOptionsHandle options, byte[] key, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_version(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_ttl(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_options_set_external_id(StartOptionsHandle options, byte[] value);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_start_options_free(IntPtr options);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_session(ClientHandle client, StartOptionsHandle options, out IntPtr session, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_started_session_id(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_started_session_host(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_started_session_port_count(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_started_session_port_get(IntPtr session, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_started_session_free(IntPtr session);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_describe_session(ClientHandle client, byte[] id, out IntPtr session, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_stop_session(ClientHandle client, byte[] id, out IntPtr error);

        // Diagnostics: the client's connection rules
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_client_endpoint(ClientHandle client);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_tls_roots(ClientHandle client, out UIntPtr customCount);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_probe(ClientHandle client, [MarshalAs(UnmanagedType.U1)] bool authorized, out IntPtr probe, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ushort gameye_probe_http_status(IntPtr probe);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ulong gameye_probe_elapsed_ms(IntPtr probe);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern long gameye_probe_server_time_unix_ms(IntPtr probe);
        [DllImport(Library, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool gameye_probe_tls_verified(IntPtr probe);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_probe_free(IntPtr probe);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_client_check_access(ClientHandle client, out IntPtr list, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_access_list_len(IntPtr list);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_access_list_get(IntPtr list, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_access_list_free(IntPtr list);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_access_scope(IntPtr access);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_access_operation(IntPtr access);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_access_grant(IntPtr access);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_access_error(IntPtr access);

        // Players, logs, artifacts, locations, tags
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_join_session(ClientHandle client, byte[] sessionId, IntPtr[] players, UIntPtr count, out IntPtr roster, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_leave_session(ClientHandle client, IntPtr[] players, UIntPtr count, out IntPtr roster, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern long gameye_roster_count(IntPtr roster);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_roster_players(IntPtr roster);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_roster_free(IntPtr roster);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_get_logs(ClientHandle client, byte[] sessionId, out IntPtr logs, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_logs_data(IntPtr logs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_logs_len(IntPtr logs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_logs_free(IntPtr logs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_download_artifact(ClientHandle client, byte[] sessionId, byte[] path, byte[] destination, ulong maxBytes, ProgressCallback progress, IntPtr userData, out ulong bytes, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_get_available_locations(ClientHandle client, byte[] image, out IntPtr list, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_location_list_len(IntPtr list);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_location_list_get(IntPtr list, UIntPtr index);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_location_list_free(IntPtr list);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_location_id(IntPtr location);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_location_ips(IntPtr location);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_tag_exists(ClientHandle client, byte[] region, byte[] image, byte[] version, [MarshalAs(UnmanagedType.U1)] out bool exists, out IntPtr error);

        // Non-blocking calls
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_list_sessions_async(ClientHandle client, ListOptionsHandle options, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_describe_session_async(ClientHandle client, byte[] id, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_start_session_async(ClientHandle client, StartOptionsHandle options, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_stop_session_async(ClientHandle client, byte[] id, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_join_session_async(ClientHandle client, byte[] sessionId, IntPtr[] players, UIntPtr count, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_leave_session_async(ClientHandle client, IntPtr[] players, UIntPtr count, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_get_logs_async(ClientHandle client, byte[] sessionId, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_download_artifact_async(ClientHandle client, byte[] sessionId, byte[] path, byte[] destination, ulong maxBytes, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_get_available_locations_async(ClientHandle client, byte[] image, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_tag_exists_async(ClientHandle client, byte[] region, byte[] image, byte[] version, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_completion_status(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_error(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_session_list(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_session(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_started_session(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_roster(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_logs(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_location_list(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool gameye_completion_tag_exists(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern ulong gameye_completion_artifact_bytes(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool gameye_request_cancel(IntPtr request);
        [DllImport(Library, CallingConvention = Cdecl)] [return: MarshalAs(UnmanagedType.U1)] internal static extern bool gameye_request_is_finished(IntPtr request);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_request_progress(ResultHandle request, out ulong received, out ulong total);

        // Followed logs
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_follow_logs(ClientHandle client, byte[] sessionId, uint idleTimeoutMs, out IntPtr stream, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_follow_logs_async(ClientHandle client, byte[] sessionId, uint idleTimeoutMs, CompletionCallback callback, IntPtr userData, out IntPtr request, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_completion_take_log_stream(IntPtr completion);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_log_stream_next(LogStreamHandle stream, uint waitMs, out IntPtr line, out UIntPtr length, [MarshalAs(UnmanagedType.U1)] out bool ended, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_log_stream_cancel(LogStreamHandle stream);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_log_stream_free(IntPtr stream);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_request_free(IntPtr request);

        // Inside a session: the context and the roster reporter
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_session_context_current(out IntPtr context, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_context_id(IntPtr context);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_session_context_host(IntPtr context);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_session_context_free(IntPtr context);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern IntPtr gameye_roster_reporter_options_new();
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_roster_reporter_options_free(IntPtr options);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_options_set_batch_interval_ms(ReporterOptionsHandle options, uint intervalMs);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_options_set_batch_size(ReporterOptionsHandle options, UIntPtr batchSize);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_options_set_max_pending(ReporterOptionsHandle options, UIntPtr maxPending);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_options_set_failure_callback(ReporterOptionsHandle options, RosterFailureCallback callback, IntPtr userData);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_new(ClientHandle client, byte[] sessionId, ReporterOptionsHandle options, out IntPtr reporter, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_player_joined(ReporterHandle reporter, byte[] playerId);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_player_left(ReporterHandle reporter, byte[] playerId);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_flush(ReporterHandle reporter, uint timeoutMs, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern UIntPtr gameye_roster_reporter_pending(ReporterHandle reporter);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_status(ReporterHandle reporter, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_resync(ReporterHandle reporter, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern int gameye_roster_reporter_stop_session(ReporterHandle reporter, uint timeoutMs, out IntPtr error);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_roster_reporter_close(ReporterHandle reporter);
        [DllImport(Library, CallingConvention = Cdecl)] internal static extern void gameye_roster_reporter_free(IntPtr reporter);
    }
}
