// A Unity sample: lists sessions without blocking the main thread. `await` returns to the main
// thread (Unity's SynchronizationContext), so updating UI after it is safe. Run it in tools or on
// a dedicated server: never ship the token in a game client.
using System;
using System.Collections.Generic;
using Gameye;
using UnityEngine;

public class ServerBrowser : MonoBehaviour
{
    [Tooltip("Leave empty to use GAMEYE_API_ENDPOINT")]
    public string baseUrl = "https://api.sandbox-gameye.gameye.net";
    public string location = "europe";

    private GameyeClient client;

    private void Awake()
    {
        // The token comes from the environment (GAMEYE_API_TOKEN), not from the scene or a build.
        try
        {
            client = new GameyeClient(new GameyeClientOptions { BaseUrl = string.IsNullOrEmpty(baseUrl) ? null : baseUrl });
        }
        catch (GameyeException error)
        {
            // Without a token (or with a bad endpoint) the sample says what to do, once, and stays off.
            Debug.LogWarning("ServerBrowser: no Gameye client (" + error.Message + "). Set GAMEYE_API_TOKEN in the "
                + "environment of the Editor or server process, then enter Play mode again.");
            enabled = false;
        }
    }

    private async void Start()
    {
        if (client == null)
        {
            return; // Awake said why
        }
        try
        {
            IReadOnlyList<Session> sessions = await client.ListSessionsAsync(new ListSessionsOptions { Location = location });
            foreach (Session session in sessions)
            {
                Debug.Log(session.Id + " " + session.Host + " players: " + session.PlayerCount);
            }
        }
        catch (OperationCanceledException)
        {
            // OnDestroy disposed the client while the call was in flight: nothing to report.
        }
        catch (ObjectDisposedException)
        {
            // Destroyed before the call was made.
        }
        catch (GameyeException error)
        {
            Debug.LogError(error.Status + ": " + error.Message + (error.Hint != null ? " (" + error.Hint + ")" : ""));
        }
    }

    private void OnDestroy()
    {
        if (client != null)
        {
            client.Dispose(); // cancels what is still in flight
        }
    }
}
