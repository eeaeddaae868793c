// The optional Unity glue: the runtime (Gameye.Runtime) stays engine-free, and this assembly ties
// it to Unity's lifecycle. Each member of UnityEngine it uses is in tests/csharp/UnityEngineStub.cs
// with the reference source it follows.
using System;
using System.Threading;
using UnityEngine;

namespace Gameye.Unity
{
    /// <summary>
    /// Ties Gameye to Unity: the clients (and GameyeServers) a play session made are disposed when
    /// it ends (Application.quitting: the player quits, or the Editor leaves play mode, also with
    /// domain reload off, where nothing else would free them and each kept its threads), a
    /// main-thread dispatcher for library callbacks, and a Debug.Log bridge for the log hook.
    /// Clients made outside play mode (Editor tools) are left open.
    /// </summary>
    public static class GameyeUnity
    {
        private static long playStartedAfter;
        private static SynchronizationContext mainThread;

        /// <summary>
        /// Unity calls it as each play session starts (before the first scene loads; also when
        /// entering play mode without a domain reload) and at a player's start.
        /// </summary>
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.SubsystemRegistration)]
        private static void OnPlayStarting()
        {
            playStartedAfter = GameyeClient.OpenedSoFar;
            Application.quitting -= OnQuitting; // once, also when statics survive (no reload)
            Application.quitting += OnQuitting;
        }

        /// <summary>Unity calls it on the main thread before the first scene loads: its context is the main thread's.</summary>
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.BeforeSceneLoad)]
        private static void OnMainThreadReady()
        {
            mainThread = SynchronizationContext.Current;
        }

        private static void OnQuitting()
        {
            Application.quitting -= OnQuitting;
            GameyeServer.DisposeAll(); // flushes each server's players first
            GameyeClient.DisposeOpenedAfter(playStartedAfter);
        }

        /// <summary>
        /// Runs `action` on Unity's main thread (posted to its SynchronizationContext, captured
        /// before the first scene loaded); at once when there is none yet. Thread-safe.
        /// </summary>
        public static void Post(Action action)
        {
            if (action == null)
            {
                throw new ArgumentNullException("action");
            }
            SynchronizationContext context = mainThread;
            if (context == null)
            {
                action();
                return;
            }
            context.Post(state => ((Action)state)(), action);
        }

        /// <summary>
        /// `callback`, moved to the main thread: for callbacks the library calls on its own threads
        /// (RosterReporterOptions.OnFailure), which must not touch Unity objects there.
        /// </summary>
        public static Action<T> OnMainThread<T>(Action<T> callback)
        {
            if (callback == null)
            {
                throw new ArgumentNullException("callback");
            }
            return value => Post(() => callback(value));
        }

        /// <summary>
        /// A log hook (GameyeClientOptions.Log) writing to Unity's console: Error as LogError, Warn
        /// as LogWarning, the rest as Log, each line prefixed "gameye: ". The library never puts the
        /// token in a log line; Debug.Log may be called from any thread.
        /// </summary>
        public static readonly Action<GameyeLogLevel, string> DebugLog = WriteToConsole;

        private static void WriteToConsole(GameyeLogLevel level, string line)
        {
            string message = "gameye: " + line;
            switch (level)
            {
                case GameyeLogLevel.Error:
                    Debug.LogError(message);
                    break;
                case GameyeLogLevel.Warn:
                    Debug.LogWarning(message);
                    break;
                default:
                    Debug.Log(message);
                    break;
            }
        }
    }
}
