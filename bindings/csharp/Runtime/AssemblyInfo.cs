// The optional Unity glue (bindings/csharp/Unity) disposes the clients a play session made, with
// members kept internal so the runtime's public API stays engine-free and small.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Gameye.Unity")]
