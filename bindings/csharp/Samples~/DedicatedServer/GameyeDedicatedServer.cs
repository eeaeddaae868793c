// A dedicated server's Gameye side as a MonoBehaviour: reports players as they connect and
// disconnect, ends the match by stopping its own session, and flushes when the player quits.
//
// Wire OnPlayerConnected / OnPlayerDisconnected to your networking's connect and disconnect:
// - Netcode for GameObjects: NetworkManager.OnClientConnectedCallback and
//   OnClientDisconnectCallback (the client id, or your own player id, as the string).
// - Mirror: override NetworkManager.OnServerConnect / OnServerDisconnect (conn.connectionId).
// - FishNet: ServerManager.OnRemoteConnectionState (RemoteConnectionState.Started / Stopped).
// Use an id that is stable for a player across reconnects when you have one (an account id).
using System;
using Gameye;
using UnityEngine;

public sealed class GameyeDedicatedServer : MonoBehaviour
{
    [Tooltip("End the match (stop this session) when the last player leaves.")]
    public bool stopWhenEmpty = true;

    private GameyeServer server;
    private int players;

    private void Awake()
    {
        // The token comes from the session's environment (GAMEYE_API_TOKEN, a token with
        // session:join and session:stop only), never from the build.
        try
        {
            if (!GameyeServer.TryStart(out server))
            {
                Debug.Log("Gameye: not inside a Gameye session (the Editor, or a server started by hand): players are not reported.");
                enabled = false;
                return;
            }
        }
        catch (GameyeException failure)
        {
            Debug.LogWarning("Gameye: players are not reported: " + failure.Message);
            enabled = false;
            return;
        }
        // Mono runs no ProcessExit on SIGTERM: flush from Unity's own quit instead.
        Application.quitting += OnQuitting;
        Debug.Log("Gameye: reporting players of session " + server.SessionId);
    }

    /// <summary>Call when a player connects. Never blocks.</summary>
    public void OnPlayerConnected(string playerId)
    {
        if (server == null)
        {
            return;
        }
        server.PlayerJoined(playerId);
        players++;
    }

    /// <summary>Call when a player disconnects. Never blocks; the last one out may end the match.</summary>
    public void OnPlayerDisconnected(string playerId)
    {
        if (server == null)
        {
            return;
        }
        server.PlayerLeft(playerId);
        players--;
        if (players == 0 && stopWhenEmpty)
        {
            EndMatch();
        }
    }

    /// <summary>Stops this session after sending what is pending; Gameye then ends the process.</summary>
    public void EndMatch()
    {
        try
        {
            // Blocks up to 5 s: the match is over, nothing else runs.
            server.StopSession(TimeSpan.FromSeconds(5));
        }
        catch (GameyeException failure)
        {
            Debug.LogWarning("Gameye: could not stop the session: " + failure.Message);
        }
    }

    private void OnQuitting()
    {
        if (server != null)
        {
            server.Dispose(); // flushes up to FlushOnExitTimeout
            server = null;
        }
    }

    private void OnDestroy()
    {
        Application.quitting -= OnQuitting;
        OnQuitting();
    }
}
