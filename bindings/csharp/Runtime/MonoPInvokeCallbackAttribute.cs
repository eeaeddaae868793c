// IL2CPP (and Mono AOT on iOS) can call back from native code only into static methods marked
// with this attribute. Unity defines it; outside Unity (Mono, .NET tests) this stand-in does.
#if !UNITY_5_3_OR_NEWER
using System;

namespace AOT
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type type) { }
    }
}
#endif
