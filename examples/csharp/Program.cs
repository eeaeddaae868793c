// A console program with the C# binding: start a session, list, stop (runs on Mono or .NET).
// Configuration from the environment: GAMEYE_API_ENDPOINT and GAMEYE_API_TOKEN.
// Usage: mono sessions.exe [LOCATION IMAGE]   (default: europe nginx, which the emulator serves)
using System;
using System.Threading.Tasks;
using Gameye;

public static class Program
{
    public static int Main(string[] args)
    {
        string location = args.Length > 1 ? args[0] : "europe";
        string image = args.Length > 1 ? args[1] : "nginx";
        try
        {
            Run(location, image).Wait();
            return 0;
        }
        catch (AggregateException aggregate)
        {
            var error = aggregate.InnerException as GameyeException;
            Console.Error.WriteLine(error != null ? error.Status + ": " + error.Message : aggregate.InnerException.ToString());
            return 1;
        }
    }

    private static async Task Run(string location, string image)
    {
        using (var client = new GameyeClient())
        {
            var options = new StartSessionOptions { Location = location, Image = image, Ttl = "10m" };
            options.Labels["example"] = "csharp";
            StartedSession started = await client.StartSessionAsync(options);
            Console.WriteLine("started " + started.Id + " on " + started.Host);
            foreach (Session session in await client.ListSessionsAsync())
            {
                Console.WriteLine("  " + session.Id + " " + session.Image + ":" + session.Tag + " in " + session.Location + ", " + session.Ports.Count + " port(s)");
            }
            await client.StopSessionAsync(started.Id);
            Console.WriteLine("stopped " + started.Id);
        }
    }
}
