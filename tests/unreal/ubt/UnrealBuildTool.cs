// Stub of the UnrealBuildTool API that the plugin's Build.cs files use (UE 5.3 names and types),
// so that BuildRulesTest.cs can compile them with Mono and run them for each kind of target.
// Only what the rules read or write is here; the values a real UBT derives are set by the test.
using System;
using System.Collections.Generic;
using System.IO;

namespace EpicGames.Core
{
    public class DirectoryReference
    {
        public readonly string FullName;
        public DirectoryReference(string Path) { FullName = Path; }
    }

    public class FileReference
    {
        public readonly string FullName;
        public FileReference(string Path) { FullName = Path; }
        public DirectoryReference Directory { get { return new DirectoryReference(Path.GetDirectoryName(FullName)); } }
    }
}

namespace UnrealBuildTool
{
    using EpicGames.Core;

    public enum TargetType { Game, Editor, Client, Server, Program }

    public struct UnrealTargetPlatform
    {
        readonly string Name;
        UnrealTargetPlatform(string InName) { Name = InName; }
        public static readonly UnrealTargetPlatform Win64 = new UnrealTargetPlatform("Win64");
        public static readonly UnrealTargetPlatform Linux = new UnrealTargetPlatform("Linux");
        public static readonly UnrealTargetPlatform LinuxArm64 = new UnrealTargetPlatform("LinuxArm64");
        public static readonly UnrealTargetPlatform Mac = new UnrealTargetPlatform("Mac");
        public static bool operator ==(UnrealTargetPlatform A, UnrealTargetPlatform B) { return A.Name == B.Name; }
        public static bool operator !=(UnrealTargetPlatform A, UnrealTargetPlatform B) { return A.Name != B.Name; }
        public override bool Equals(object Other) { return Other is UnrealTargetPlatform && this == (UnrealTargetPlatform)Other; }
        public override int GetHashCode() { return Name.GetHashCode(); }
        public override string ToString() { return Name; }
    }

    public class ReadOnlyTargetRules
    {
        public TargetType Type;
        public bool bBuildEditor;
        public UnrealTargetPlatform Platform;
        public FileReference ProjectFile;
    }

    public enum ModuleType { CPlusPlus, External }
    public enum PCHUsageMode { Default, NoPCHs, NoSharedPCHs, UseSharedPCHs, UseExplicitOrSharedPCHs }
    public enum CppStandardVersion { Cpp17, Cpp20, Latest }

    public class RuntimeDependencyList
    {
        public readonly List<KeyValuePair<string, string>> Items = new List<KeyValuePair<string, string>>();
        public void Add(string InPath, string InSourcePath) { Items.Add(new KeyValuePair<string, string>(InPath, InSourcePath)); }
    }

    public class ModuleRules
    {
        /// The folder of the Build.cs being run; a real UBT knows it from the file's location.
        [ThreadStatic] public static string NextModuleDirectory;

        public ModuleRules(ReadOnlyTargetRules Target) { ModuleDirectory = NextModuleDirectory; }

        public readonly string ModuleDirectory;
        public ModuleType Type = ModuleType.CPlusPlus;
        public PCHUsageMode PCHUsage = PCHUsageMode.Default;
        public CppStandardVersion? CppStandard;
        public bool bEnableExceptions;
        public List<string> PublicIncludePaths = new List<string>();
        public List<string> PublicSystemIncludePaths = new List<string>();
        public List<string> PublicDefinitions = new List<string>();
        public List<string> PublicAdditionalLibraries = new List<string>();
        public List<string> PublicSystemLibraries = new List<string>();
        public List<string> PublicDependencyModuleNames = new List<string>();
        public List<string> PrivateDependencyModuleNames = new List<string>();
        public RuntimeDependencyList RuntimeDependencies = new RuntimeDependencyList();
    }

    public class BuildException : Exception
    {
        public BuildException(string Format, params object[] Arguments) : base(string.Format(Format, Arguments)) { }
    }

    public enum ConfigHierarchyType { Engine, Game, Input, Editor }

    public class ConfigHierarchy
    {
        readonly Dictionary<string, string> Values;
        public ConfigHierarchy(Dictionary<string, string> InValues) { Values = InValues; }

        public bool GetBool(string SectionName, string KeyName, out bool Value)
        {
            string Text;
            Value = Values.TryGetValue(SectionName + "/" + KeyName, out Text) && string.Equals(Text, "True", StringComparison.OrdinalIgnoreCase);
            return Text != null;
        }
    }

    public static class ConfigCache
    {
        /// "Section/Key" = value, as DefaultEngine.ini would give them; set by the test.
        public static Dictionary<string, string> EngineValues = new Dictionary<string, string>();

        public static ConfigHierarchy ReadHierarchy(ConfigHierarchyType Type, DirectoryReference ProjectDir, UnrealTargetPlatform Platform)
        {
            return new ConfigHierarchy(Type == ConfigHierarchyType.Engine ? EngineValues : new Dictionary<string, string>());
        }
    }
}
