// IL2CPP (and Mono AOT) can call back from native code only into static methods marked with an
// attribute named MonoPInvokeCallbackAttribute: IL2CPP matches it by name, in any namespace. The
// package has its own, with no #if, so it compiles the same inside Unity (which always defines
// UNITY_5_3_OR_NEWER, and whose UnityEngine this assembly does not reference) and outside it.
using System;

namespace Gameye
{
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { Type = type; }

        public Type Type { get; private set; }
    }
}
