// A process that exits without disposing its client, with requests in flight: what a dedicated
// server or a batch-mode tool does when it returns from Main or calls Environment.Exit. It must
// exit promptly (a server process that never exits is a container that keeps billing) and with no
// panic text. Run 20 times by tests/csharp.rs against an emulator that delays every list: returning
// from Main, through Environment.Exit, and with a background thread inside a blocking call.
using System;
using System.Threading;
using Gameye;

public static class ExitWithoutDispose
{
    public static int Main(string[] args)
    {
        var client = new GameyeClient(new GameyeClientOptions { TimeoutMs = 30000 });
        for (int i = 0; i < 8; i++)
        {
            client.ListSessionsAsync(); // in flight at exit: the emulator delays lists
        }
        if (args.Length > 0 && args[0] == "blocking")
        {
            // A background thread inside a blocking call at exit: ProcessExit's Dispose must
            // interrupt it (it ran to its end, 20 s later, before).
            new Thread(() =>
            {
                try
                {
                    client.ListSessions();
                }
                catch (GameyeException)
                {
                }
            }) { IsBackground = true }.Start();
        }
        Thread.Sleep(100);
        Console.WriteLine("exiting without Dispose");
        if (args.Length > 0 && args[0] == "exit")
        {
            Environment.Exit(0);
        }
        return 0;
    }
}
