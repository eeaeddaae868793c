// A stand-in for UnityEngine.dll with just the types the package and its sample use, so the test
// suite compiles them as Unity would (with Unity's scripting defines and an engine assembly)
// without a Unity install. It proves that the code compiles; nothing here runs like Unity.
using System;

namespace UnityEngine
{
    public class Object { }
    public class Component : Object { }
    // Behaviour.bindings.cs: an enabled Behaviour is updated; a disabled one is not.
    public class Behaviour : Component
    {
        public bool enabled { get; set; }
    }
    public class MonoBehaviour : Behaviour { }

    public static class Debug
    {
        public static void Log(object message) { StubConsole.Write("Log", message); }
        public static void LogWarning(object message) { StubConsole.Write("Warning", message); }
        public static void LogError(object message) { StubConsole.Write("Error", message); }
    }

    /// <summary>
    /// Not Unity's: what the stub's Debug methods were given (the method's LogType name and the
    /// message), so tests can read what would reach Unity's console. Thread-safe.
    /// </summary>
    public static class StubConsole
    {
        private static readonly System.Collections.Generic.List<string> lines = new System.Collections.Generic.List<string>();

        internal static void Write(string type, object message)
        {
            lock (lines) { lines.Add(type + ": " + message); }
        }

        public static string[] Lines()
        {
            lock (lines) { return lines.ToArray(); }
        }
    }

    // Runtime/Export/Application/Application.cs (a partial class): the engine calls
    // Internal_ApplicationQuit ([RequiredByNativeCode]) when the player quits and, in the Editor,
    // when play mode ends (its comment: "when running in editor without domain reload, we
    // prepare the cts for next enter play mode"); it raises quitting. The tests call it through
    // reflection, as the engine does.
    public partial class Application
    {
        public static event Action quitting;

        static void Internal_ApplicationQuit()
        {
            if (quitting != null)
                quitting();
        }
    }

    // Runtime/Export/Scripting/RuntimeInitializeOnLoadAttribute.cs (there the attribute derives
    // from Scripting.PreserveAttribute, which only keeps it from being stripped).
    public enum RuntimeInitializeLoadType
    {
        AfterSceneLoad = 0,
        BeforeSceneLoad,
        AfterAssembliesLoaded,
        BeforeSplashScreen,
        SubsystemRegistration
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class RuntimeInitializeOnLoadMethodAttribute : Attribute
    {
        public RuntimeInitializeOnLoadMethodAttribute() { this.loadType = RuntimeInitializeLoadType.AfterSceneLoad; }
        public RuntimeInitializeOnLoadMethodAttribute(RuntimeInitializeLoadType loadType) { this.loadType = loadType; }

        public RuntimeInitializeLoadType loadType
        {
            get { return m_LoadType; } private set { m_LoadType = value; }
        }

        RuntimeInitializeLoadType m_LoadType;
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class TooltipAttribute : Attribute
    {
        public TooltipAttribute(string tooltip) { }
    }
}

namespace AOT
{
    // Unity's own attribute: the package must not clash with it.
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { }
    }
}
