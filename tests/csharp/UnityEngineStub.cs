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
        public static void Log(object message) { }
        public static void LogWarning(object message) { }
        public static void LogError(object message) { }
    }

    // Runtime/Export/Application/Application.cs (a partial class): the player is quitting, or
    // play mode ends in the Editor.
    public partial class Application
    {
        public static event Action quitting;
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
