// The native option builders of GameyeClient's calls.
using System;
using System.Collections.Generic;

namespace Gameye
{
    public sealed partial class GameyeClient
    {
        private static ListOptionsHandle ListOptions(ListSessionsOptions options)
        {
            var native = new ListOptionsHandle();
            if (options == null)
            {
                return native;
            }
            try
            {
                GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_all(native, options.All), "All");
                if (options.Location != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_location(native, Utf8.Encode(options.Location)), "Location");
                if (options.Image != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_image(native, Utf8.Encode(options.Image)), "Image");
                if (options.Tag != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_tag(native, Utf8.Encode(options.Tag)), "Tag");
                if (options.Host != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_host(native, Utf8.Encode(options.Host)), "Host");
                if (options.PlayerCountLessThan.HasValue)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_player_count_lt(native, options.PlayerCountLessThan.Value), "PlayerCountLessThan");
                if (options.PlayerCountGreaterThan.HasValue)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_set_player_count_gt(native, options.PlayerCountGreaterThan.Value), "PlayerCountGreaterThan");
                foreach (KeyValuePair<string, string> label in options.Labels)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_list_options_add_filter(native, Utf8.Encode(label.Key), Utf8.Encode(label.Value)), "Labels");
                return native;
            }
            catch
            {
                native.Dispose();
                throw;
            }
        }

        private static StartOptionsHandle StartOptions(StartSessionOptions options, out string id)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }
            id = options.Id ?? Guid.NewGuid().ToString();
            var native = new StartOptionsHandle();
            try
            {
                GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_id(native, Utf8.Encode(id)), "Id");
                if (options.Location != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_location(native, Utf8.Encode(options.Location)), "Location");
                if (options.Image != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_image(native, Utf8.Encode(options.Image)), "Image");
                if (options.Version != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_version(native, Utf8.Encode(options.Version)), "Version");
                if (options.Ttl != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_ttl(native, Utf8.Encode(options.Ttl)), "Ttl");
                if (options.ExternalId != null) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_external_id(native, Utf8.Encode(options.ExternalId)), "ExternalId");
                if (options.Restart.HasValue) GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_restart(native, options.Restart.Value), "Restart");
                foreach (KeyValuePair<string, string> env in options.Env)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_env(native, Utf8.Encode(env.Key), Utf8.Encode(env.Value)), "Env");
                foreach (string arg in options.Args)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_add_arg(native, Utf8.Encode(arg)), "Args");
                foreach (KeyValuePair<string, string> label in options.Labels)
                    GameyeException.ThrowIfFailed(NativeMethods.gameye_start_options_set_label(native, Utf8.Encode(label.Key), Utf8.Encode(label.Value)), "Labels");
                return native;
            }
            catch
            {
                native.Dispose();
                throw;
            }
        }
    }
}
