// A dedicated server on GameyeServer, run by the emulator inside a session (tests/csharp.rs): it
// listens on the port Gameye mapped (GAMEYE_PORT_7777_TCP), greets each player ("HELLO name" ->
// "WELCOME name"), reports joins and leaves, and stops its session when the last player leaves.
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Gameye;

public static class DedicatedServer
{
    private static int connected;
    private static GameyeServer server;

    public static int Main()
    {
        if (!GameyeServer.TryStart(out server))
        {
            Console.WriteLine("server: not inside a Gameye session");
            return 2;
        }
        string port = Environment.GetEnvironmentVariable("GAMEYE_PORT_7777_TCP") ?? "7777";
        var listener = new TcpListener(IPAddress.Loopback, int.Parse(port));
        listener.Start();
        Console.WriteLine("server: session " + server.SessionId + " listening on port " + port
            + " (pid " + System.Diagnostics.Process.GetCurrentProcess().Id + ")");
        while (true)
        {
            TcpClient player = listener.AcceptTcpClient();
            new Thread(() => Serve(player)) { IsBackground = true }.Start();
        }
    }

    private static void Serve(TcpClient connection)
    {
        string name = null;
        try
        {
            using (connection)
            using (var reader = new StreamReader(connection.GetStream()))
            using (var writer = new StreamWriter(connection.GetStream()) { AutoFlush = true })
            {
                string hello = reader.ReadLine();
                if (hello == null || !hello.StartsWith("HELLO "))
                {
                    return;
                }
                name = hello.Substring(6);
                server.PlayerJoined(name); // never blocks: the reporter's worker sends it
                Interlocked.Increment(ref connected);
                Console.WriteLine("server: player " + name + " joined");
                writer.WriteLine("WELCOME " + name);
                while (reader.ReadLine() != null)
                {
                }
            }
        }
        catch (IOException)
        {
            // The player went away.
        }
        if (name == null)
        {
            return;
        }
        server.PlayerLeft(name);
        Console.WriteLine("server: player " + name + " left");
        if (Interlocked.Decrement(ref connected) == 0)
        {
            // Said first: once the session stops, Gameye ends this process (SIGTERM).
            Console.WriteLine("server: match over, stopping the session");
            server.StopSession(TimeSpan.FromSeconds(5)); // flushes the leaves first
        }
    }
}
