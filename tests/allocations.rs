//! Allocation behaviour of a steady-state list (issue 19): once a client has listed and freed a
//! list, its next list reuses those vectors, and its hot path makes no allocation of 1 KiB or
//! more (glibc's small bins end below 1 KiB on 64-bit; larger requests reach the bins whose
//! freed chunks are consolidated, which made a list as slow as a hand-written C client in a
//! busy host process). Checked through the Rust API and through the C ABI, with a counting
//! allocator that counts this thread's requests only (the emulator serving the list runs in
//! this process too).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::{c_char, c_void, CString};
use std::ptr;
use std::time::Duration;

use gameye::mock::{MockConfig, MockServer, SeedRequest};
use gameye::{Client, ClientConfig, ListOptions};

const SMALL: usize = 1024;
const SESSIONS: usize = 2_000;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    /// Requests of SMALL bytes or more while counting, and the largest.
    static LARGE: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

fn note(size: usize) {
    // try_with: the allocator also runs while thread-locals are torn down.
    let _ = COUNTING.try_with(|counting| {
        if counting.get() && size >= SMALL {
            LARGE.with(|large| {
                let (count, max) = large.get();
                large.set((count + 1, max.max(size)));
            });
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The large requests `f` makes on this thread: (how many, the largest).
fn large_allocations<T>(f: impl FnOnce() -> T) -> ((usize, usize), T) {
    LARGE.with(|large| large.set((0, 0)));
    COUNTING.with(|c| c.set(true));
    let value = f();
    COUNTING.with(|c| c.set(false));
    (LARGE.with(Cell::get), value)
}

fn server() -> MockServer {
    let server = MockServer::start(MockConfig {
        log_interval: Duration::ZERO,
        ..MockConfig::with_token("t")
    })
    .unwrap();
    let seed = format!(r#"{{"count": {SESSIONS}, "players": 3, "labels": {{"mode": "ranked"}}}}"#);
    server
        .seed(&serde_json::from_str::<SeedRequest>(&seed).unwrap())
        .unwrap();
    server
}

fn client(server: &MockServer) -> Client {
    let mut config = ClientConfig::new();
    config
        .set_base_url(&server.url())
        .unwrap()
        .set_token("t")
        .unwrap();
    Client::new(&config).unwrap()
}

#[test]
fn a_steady_state_list_makes_no_large_allocation() {
    let server = server();
    let client = client(&server);
    let options = ListOptions::new();
    for _ in 0..2 {
        assert_eq!(client.list_sessions(&options).unwrap().len(), SESSIONS);
    }
    for _ in 0..3 {
        let ((count, largest), list) =
            large_allocations(|| client.list_sessions(&options).unwrap());
        assert_eq!(list.len(), SESSIONS);
        assert_eq!(list.get(7).unwrap().tags().get("mode"), Some("ranked"));
        assert_eq!(
            count, 0,
            "{count} allocations of 1 KiB or more, the largest {largest} bytes"
        );
    }
}

#[test]
fn the_counter_sees_a_list_that_cannot_reuse() {
    // While the previous list is alive its vectors are in use: this list must allocate its own,
    // and the counter must see it (so the test above can fail).
    let server = server();
    let client = client(&server);
    let options = ListOptions::new();
    let kept = client.list_sessions(&options).unwrap();
    let ((count, largest), list) = large_allocations(|| client.list_sessions(&options).unwrap());
    assert!(
        count >= 5 && largest >= 500_000,
        "{count} large allocations, the largest {largest}"
    );
    assert_eq!(list.len(), kept.len());
}

// The C ABI, declared here as a C program would see it.
#[allow(non_camel_case_types)]
type gameye_status = i32;
extern "C" {
    fn gameye_client_config_new() -> *mut c_void;
    fn gameye_client_config_set_base_url(config: *mut c_void, url: *const c_char) -> gameye_status;
    fn gameye_client_config_set_token(config: *mut c_void, token: *const c_char) -> gameye_status;
    fn gameye_client_config_free(config: *mut c_void);
    fn gameye_client_new(
        config: *const c_void,
        out: *mut *mut c_void,
        error: *mut *mut c_void,
    ) -> gameye_status;
    fn gameye_client_free(client: *mut c_void);
    fn gameye_list_sessions(
        client: *const c_void,
        options: *const c_void,
        out: *mut *mut c_void,
        error: *mut *mut c_void,
    ) -> gameye_status;
    fn gameye_session_list_len(list: *const c_void) -> usize;
    fn gameye_session_list_free(list: *mut c_void);
}

#[test]
fn a_steady_state_list_through_the_c_abi_makes_no_large_allocation() {
    let server = server();
    let url = CString::new(server.url()).unwrap();
    // SAFETY: the C ABI used as its header documents: every handle is freed once, after use.
    unsafe {
        let config = gameye_client_config_new();
        assert_eq!(gameye_client_config_set_base_url(config, url.as_ptr()), 0);
        assert_eq!(gameye_client_config_set_token(config, c"t".as_ptr()), 0);
        let mut client = ptr::null_mut();
        assert_eq!(gameye_client_new(config, &mut client, ptr::null_mut()), 0);
        gameye_client_config_free(config);
        let list_once = || {
            let mut list = ptr::null_mut();
            assert_eq!(
                gameye_list_sessions(client, ptr::null(), &mut list, ptr::null_mut()),
                0
            );
            assert_eq!(gameye_session_list_len(list), SESSIONS);
            gameye_session_list_free(list);
        };
        list_once();
        list_once();
        let ((count, largest), ()) = large_allocations(list_once);
        assert_eq!(
            count, 0,
            "{count} allocations of 1 KiB or more, the largest {largest} bytes"
        );
        // A list freed after its client frees its vectors instead (nothing to return them to).
        let mut list = ptr::null_mut();
        assert_eq!(
            gameye_list_sessions(client, ptr::null(), &mut list, ptr::null_mut()),
            0
        );
        gameye_client_free(client);
        assert_eq!(gameye_session_list_len(list), SESSIONS);
        gameye_session_list_free(list);
    }
}
