// Five play sessions in one Editor without a domain reload, as Unity runs them: the glue's
// [RuntimeInitializeOnLoadMethod]s at each start in Unity's order, a script's client that is
// never disposed (held by a static list, which survives without a reload), then the engine's
// Internal_ApplicationQuit at the end. Prints the library's thread count after each session.
// "glue" runs Gameye.Unity's hooks; "bare" does not. An Editor tool's client made outside play
// mode must survive every session.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Gameye;
using UnityEngine;

public static class PlayModeSessions
{
    private static readonly List<GameyeClient> Kept = new List<GameyeClient>();

    private static int Threads()
    {
        return Directory.GetDirectories("/proc/self/task").Count(task =>
        {
            try { return File.ReadAllText(Path.Combine(task, "comm")).StartsWith("gameye-"); }
            catch (IOException) { return false; }
        });
    }

    private static void RunInitializers(RuntimeInitializeLoadType type)
    {
        const BindingFlags all = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (MethodInfo method in typeof(Gameye.Unity.GameyeUnity).Assembly.GetTypes().SelectMany(t => t.GetMethods(all)))
        {
            var attribute = method.GetCustomAttribute<RuntimeInitializeOnLoadMethodAttribute>();
            if (attribute != null && attribute.loadType == type)
            {
                method.Invoke(null, null);
            }
        }
    }

    private static GameyeClient NewClient(string url)
    {
        var client = new GameyeClient(new GameyeClientOptions { BaseUrl = url, Token = "test-token", Retries = 0 });
        client.ListSessionsAsync().Wait(); // its workers run now
        return client;
    }

    /// <summary>A main thread: a SynchronizationContext whose posts run on one thread of its own.</summary>
    private sealed class MainThread : SynchronizationContext
    {
        public readonly System.Collections.Concurrent.BlockingCollection<Action> Queue = new System.Collections.Concurrent.BlockingCollection<Action>();
        public readonly Thread Thread;

        public MainThread()
        {
            Thread = new Thread(() => { foreach (Action action in Queue.GetConsumingEnumerable()) { action(); } }) { IsBackground = true };
            Thread.Start();
        }

        public override void Post(SendOrPostCallback callback, object state)
        {
            Queue.Add(() => callback(state));
        }
    }

    /// <summary>The dispatcher posts to the context captured before the first scene loaded; the Debug.Log bridge maps levels and never shows the token.</summary>
    private static void Bridges(string url)
    {
        var main = new MainThread();
        SynchronizationContext.SetSynchronizationContext(main);
        RunInitializers(RuntimeInitializeLoadType.BeforeSceneLoad);
        SynchronizationContext.SetSynchronizationContext(null);
        var ran = new ManualResetEventSlim();
        Thread on = null;
        Action<string> callback = Gameye.Unity.GameyeUnity.OnMainThread<string>(value => { on = Thread.CurrentThread; ran.Set(); });
        new Thread(() => callback("from a library thread")).Start();
        Console.WriteLine(ran.Wait(5000) && on == main.Thread ? "the callback ran on the main thread" : "the callback did not run on the main thread");

        var logged = new GameyeClient(new GameyeClientOptions { BaseUrl = url, Token = "test-token", Retries = 0,
            Log = Gameye.Unity.GameyeUnity.DebugLog, LogLevel = GameyeLogLevel.Debug });
        logged.ListSessions();
        logged.Dispose();
        Gameye.Unity.GameyeUnity.DebugLog(GameyeLogLevel.Error, "an error line");
        Gameye.Unity.GameyeUnity.DebugLog(GameyeLogLevel.Warn, "a warning line");
        foreach (string line in UnityEngine.StubConsole.Lines())
        {
            Console.WriteLine("console> " + line);
        }
    }

    public static int Main(string[] args)
    {
        bool glue = args.Length > 0 && args[0] == "glue";
        string url = Environment.GetEnvironmentVariable("GAMEYE_TEST_URL");
        GameyeClient editorTool = NewClient(url);
        int baseline = Threads();
        Console.WriteLine("baseline: " + baseline + " threads");
        var quit = typeof(Application).GetMethod("Internal_ApplicationQuit", BindingFlags.Static | BindingFlags.NonPublic);
        for (int session = 0; session < 5; session++)
        {
            if (glue)
            {
                foreach (var type in new[] { RuntimeInitializeLoadType.SubsystemRegistration, RuntimeInitializeLoadType.AfterAssembliesLoaded,
                    RuntimeInitializeLoadType.BeforeSplashScreen, RuntimeInitializeLoadType.BeforeSceneLoad, RuntimeInitializeLoadType.AfterSceneLoad })
                {
                    RunInitializers(type);
                }
            }
            Kept.Add(NewClient(url));
            quit.Invoke(null, null);
            for (int wait = 0; wait < 100 && Threads() > baseline; wait++)
            {
                Thread.Sleep(20); // joined threads leave /proc a moment later
            }
            Console.WriteLine("session " + session + ": " + Threads() + " threads");
        }
        editorTool.ListSessions();
        Console.WriteLine("the editor tool's client still works");
        if (glue)
        {
            Bridges(url);
        }
        return 0;
    }
}
