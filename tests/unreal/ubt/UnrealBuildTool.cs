// Stub of the UnrealBuildTool API that the plugin's Build.cs files use (UE 5.3 names and types),
// so that BuildRulesTest.cs can compile them with Mono and run them for each kind of target.
// Only what the rules read or write is here; the values a real UBT derives are set by the test.
//
// How UBT finds and constructs a plugin's modules is modelled after its own source (UE 5.2/5.3):
// - RulesCompiler.FindAllRulesFilesRecursively: every *.Build.cs under the plugin's Source, not
//   descending below a folder that holds one;
// - RulesAssembly: ModuleNameToModuleFile is keyed with InvariantCultureIgnoreCase and keeps the
//   first file it sees; CreateModuleRules takes the rules type by its exact (case-sensitive) name,
//   creates it uninitialized, sets its Directory from the file the map gave, then runs its
//   constructor (so ModuleDirectory is that file's folder, whatever the type's name);
// - ModuleDescriptor.IsCompiledInConfiguration: a plugin module is built only on the platforms of
//   its PlatformAllowList (when the list exists, even empty), not on its PlatformDenyList, for the
//   targets of its TargetAllowList, and per its host Type.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Serialization;
using System.Web.Script.Serialization;

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
        public static readonly UnrealTargetPlatform Android = new UnrealTargetPlatform("Android");
        public static readonly UnrealTargetPlatform IOS = new UnrealTargetPlatform("IOS");
        public static readonly UnrealTargetPlatform[] All = { Win64, Linux, LinuxArm64, Mac, Android, IOS };
        public static UnrealTargetPlatform Parse(string Text)
        {
            foreach (UnrealTargetPlatform Platform in All)
            {
                if (string.Equals(Platform.Name, Text, StringComparison.OrdinalIgnoreCase))
                {
                    return Platform;
                }
            }
            throw new BuildException("Unknown platform '{0}'", Text);
        }
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
        // As in UBT: set by RulesAssembly.CreateModuleRules before the constructor runs.
        internal string Name;
        internal DirectoryReference Directory;

        public ModuleRules(ReadOnlyTargetRules Target) { }

        public string ModuleDirectory { get { return Directory.FullName; } }
        public ModuleType Type = ModuleType.CPlusPlus;
        public PCHUsageMode PCHUsage = PCHUsageMode.Default;
        public CppStandardVersion? CppStandard;
        public bool bEnableExceptions;
        public List<string> PublicIncludePaths = new List<string>();
        public List<string> PublicSystemIncludePaths = new List<string>();
        public List<string> PublicDefinitions = new List<string>();
        public List<string> PublicAdditionalLibraries = new List<string>();
        public List<string> PublicSystemLibraries = new List<string>();
        public List<string> PublicDelayLoadDLLs = new List<string>();
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

    public enum ModuleHostType { Runtime, RuntimeNoCommandlet, RuntimeAndProgram, CookedOnly, UncookedOnly, Developer, DeveloperTool, Editor, EditorNoCommandlet, EditorAndProgram, Program, ServerOnly, ClientOnly, ClientOnlyNoCommandlet }

    /// One entry of a .uplugin's "Modules" (ModuleDescriptor.cs).
    public class ModuleDescriptor
    {
        public string Name;
        public ModuleHostType Type;
        public List<UnrealTargetPlatform> PlatformAllowList;
        public List<UnrealTargetPlatform> PlatformDenyList;
        public TargetType[] TargetAllowList;
        public TargetType[] TargetDenyList;

        public static ModuleDescriptor FromJson(Dictionary<string, object> Object)
        {
            ModuleDescriptor Module = new ModuleDescriptor();
            Module.Name = (string)Object["Name"];
            Module.Type = (ModuleHostType)Enum.Parse(typeof(ModuleHostType), (string)Object["Type"]);
            Module.PlatformAllowList = Platforms(Object, "PlatformAllowList", "WhitelistPlatforms");
            Module.PlatformDenyList = Platforms(Object, "PlatformDenyList", "BlacklistPlatforms");
            Module.TargetAllowList = Targets(Object, "TargetAllowList", "WhitelistTargets");
            Module.TargetDenyList = Targets(Object, "TargetDenyList", "BlacklistTargets");
            return Module;
        }

        static object[] Field(Dictionary<string, object> Object, string Name, string Deprecated)
        {
            object Value;
            if (Object.TryGetValue(Name, out Value) || Object.TryGetValue(Deprecated, out Value))
            {
                return ((System.Collections.ArrayList)Value).ToArray();
            }
            return null;
        }

        static List<UnrealTargetPlatform> Platforms(Dictionary<string, object> Object, string Name, string Deprecated)
        {
            object[] Values = Field(Object, Name, Deprecated);
            return Values == null ? null : Values.Select(Value => UnrealTargetPlatform.Parse((string)Value)).ToList();
        }

        static TargetType[] Targets(Dictionary<string, object> Object, string Name, string Deprecated)
        {
            object[] Values = Field(Object, Name, Deprecated);
            return Values == null ? null : Values.Select(Value => (TargetType)Enum.Parse(typeof(TargetType), (string)Value)).ToArray();
        }

        /// ModuleDescriptor.IsCompiledInConfiguration, without configurations and programs.
        public bool IsCompiledInConfiguration(UnrealTargetPlatform Platform, TargetType Target)
        {
            // UBT: an allow list that exists but is empty allows no platform.
            if (PlatformAllowList != null && !PlatformAllowList.Contains(Platform))
            {
                return false;
            }
            if (PlatformDenyList != null && PlatformDenyList.Contains(Platform))
            {
                return false;
            }
            if (TargetAllowList != null && TargetAllowList.Length > 0 && !TargetAllowList.Contains(Target))
            {
                return false;
            }
            if (TargetDenyList != null && TargetDenyList.Contains(Target))
            {
                return false;
            }
            switch (Type)
            {
                case ModuleHostType.Runtime:
                case ModuleHostType.RuntimeNoCommandlet:
                    return Target != TargetType.Program;
                case ModuleHostType.Editor:
                case ModuleHostType.EditorNoCommandlet:
                    return Target == TargetType.Editor;
                case ModuleHostType.ServerOnly:
                    return Target != TargetType.Program && Target != TargetType.Client;
                case ModuleHostType.ClientOnly:
                case ModuleHostType.ClientOnlyNoCommandlet:
                    return Target != TargetType.Program && Target != TargetType.Server;
                default:
                    throw new BuildException("the stub does not model module type {0}", Type);
            }
        }
    }

    /// A plugin's rules as UBT finds and constructs them (see the top of this file).
    public class RulesAssembly
    {
        readonly Dictionary<string, FileReference> ModuleNameToModuleFile =
            new Dictionary<string, FileReference>(StringComparer.InvariantCultureIgnoreCase);
        public readonly List<ModuleDescriptor> Modules = new List<ModuleDescriptor>();

        /// `Reversed` walks the folders in the other order: UBT walks them on a thread pool, so
        /// which of two colliding files it sees first is not fixed.
        public RulesAssembly(string PluginDirectory, bool Reversed)
        {
            string Descriptor = System.IO.Directory.GetFiles(PluginDirectory, "*.uplugin").Single();
            Dictionary<string, object> Json = new JavaScriptSerializer().Deserialize<Dictionary<string, object>>(File.ReadAllText(Descriptor));
            object Entries;
            if (Json.TryGetValue("Modules", out Entries))
            {
                foreach (object Entry in (System.Collections.ArrayList)Entries)
                {
                    Modules.Add(ModuleDescriptor.FromJson((Dictionary<string, object>)Entry));
                }
            }
            List<string> RulesFiles = new List<string>();
            FindAllRulesFiles(Path.Combine(PluginDirectory, "Source"), Reversed, RulesFiles);
            foreach (string RulesFile in RulesFiles)
            {
                string ModuleName = Path.GetFileName(RulesFile);
                ModuleName = ModuleName.Substring(0, ModuleName.IndexOf('.'));
                if (!ModuleNameToModuleFile.ContainsKey(ModuleName))
                {
                    ModuleNameToModuleFile.Add(ModuleName, new FileReference(RulesFile));
                }
            }
        }

        static void FindAllRulesFiles(string Folder, bool Reversed, List<string> Found)
        {
            string[] Rules = System.IO.Directory.GetFiles(Folder)
                .Where(File => File.EndsWith(".build.cs", StringComparison.OrdinalIgnoreCase)).ToArray();
            Found.AddRange(Rules);
            if (Rules.Length == 0)
            {
                IEnumerable<string> Subfolders = System.IO.Directory.GetDirectories(Folder).OrderBy(Name => Name, StringComparer.Ordinal);
                foreach (string Subfolder in Reversed ? Subfolders.Reverse() : Subfolders)
                {
                    FindAllRulesFiles(Subfolder, Reversed, Found);
                }
            }
        }

        public bool Contains(string ModuleName) { return ModuleNameToModuleFile.ContainsKey(ModuleName); }

        /// RulesAssembly.CreateModuleRules.
        public ModuleRules CreateModuleRules(string ModuleName, ReadOnlyTargetRules Target)
        {
            FileReference ModuleFileName;
            if (!ModuleNameToModuleFile.TryGetValue(ModuleName, out ModuleFileName))
            {
                throw new BuildException("Could not find definition for module '{0}'", ModuleName);
            }
            Type RulesObjectType = Assembly.GetEntryAssembly().GetType(ModuleName);
            if (RulesObjectType == null)
            {
                throw new BuildException("Expecting to find a type to be declared in a module rules named '{0}'", ModuleName);
            }
            ModuleRules RulesObject = (ModuleRules)FormatterServices.GetUninitializedObject(RulesObjectType);
            RulesObject.Name = ModuleName;
            RulesObject.Directory = ModuleFileName.Directory;
            ConstructorInfo Constructor = RulesObjectType.GetConstructor(new Type[] { typeof(ReadOnlyTargetRules) });
            try
            {
                Constructor.Invoke(RulesObject, new object[] { Target });
            }
            catch (TargetInvocationException Error)
            {
                throw Error.InnerException;
            }
            return RulesObject;
        }
    }
}
