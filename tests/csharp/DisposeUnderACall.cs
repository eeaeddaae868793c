// Dispose while another thread is inside a blocking call, with a log hook set: Dispose interrupts
// the call (it throws, status Cancelled), and the call logs its last line on the way out, so the
// log hook must still be there then. (Dispose released the hook at once, and the library logged
// into the freed GCHandle: SIGSEGV; and the call ran to its end.) Run several times by
// tests/csharp.rs against an emulator that delays every list by 20 s.
using System;
using System.Threading;
using Gameye;

public static class DisposeUnderACall
{
    public static int Main()
    {
        int lines = 0;
        var client = new GameyeClient(new GameyeClientOptions
        {
            TimeoutMs = 30000,
            LogLevel = GameyeLogLevel.Debug,
            Log = (level, message) => Interlocked.Increment(ref lines),
        });
        Exception failure = null;
        var caller = new Thread(() =>
        {
            try
            {
                client.ListSessions(); // delayed by the emulator; interrupted by Dispose
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        caller.Start();
        Thread.Sleep(500); // inside the call
        client.Dispose();
        // Whatever the hook's handle was reused for, a log line into it must not arrive.
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.KeepAlive(GCHandleChurn());
        }
        caller.Join();
        var gameye = failure as GameyeException;
        Console.WriteLine("call ended: " + (gameye != null ? gameye.Status.ToString() : failure == null ? "ok" : failure.GetType().Name));
        Console.WriteLine("log lines: " + lines);
        return 0;
    }

    // Handles allocated and freed, so that a freed slot is likely to be taken again.
    private static object GCHandleChurn()
    {
        var keep = new object[64];
        for (int i = 0; i < keep.Length; i++)
        {
            var handle = System.Runtime.InteropServices.GCHandle.Alloc(new int[16]);
            keep[i] = handle.Target;
            handle.Free();
        }
        return keep;
    }
}
