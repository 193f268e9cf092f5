//! YOUR PART 1 of 2: the four handlers of `WeatherService`, one per call shape.
//! Fill in every `todo!()`; `cargo run -p workshop -- verify` runs the contract.
//!
//! Bad input is answered with a status a client can act on, with details it can
//! read (tonic-types): INVALID_ARGUMENT names the field (`BadRequest`), NOT_FOUND
//! names the station (`ResourceInfo`).

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::{Code, Request, Response, Status, Streaming};
use tonic_types::{ErrorDetails, StatusExt};

use crate::deadline::deadline_of;
use crate::pb::weather_service_server::WeatherService;
use crate::pb::{Average, GetLatestRequest, ListReadingsRequest, Reading, RecordSummary};
use crate::store::{MAX_LIMIT, MAX_LIVE_STATIONS, PLAUSIBLE, Store};

/// A boxed stream of responses, as tonic's streaming handlers return.
type ResponseStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// The service: the stations' data, shared by every call, and how long reading
/// one value from a sensor takes (`pace`: a few seconds in a demo, 0 in most tests).
#[derive(Debug, Clone)]
pub struct Weather {
    store: Arc<Mutex<Store>>,
    pace: Duration,
}

impl Weather {
    /// A service over `store`, taking `pace` per reading it serves.
    pub fn new(store: Store, pace: Duration) -> Self {
        Self {
            store: Arc::new(Mutex::new(store)),
            pace,
        }
    }

    /// The store, locked (a poisoned lock still holds usable data).
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// INVALID_ARGUMENT, with a `BadRequest` detail naming `field`.
pub fn invalid_field(field: &str, description: &str) -> Status {
    // Build `ErrorDetails` with one bad-request field violation and turn it into a Status.
    todo!("invalid_field: INVALID_ARGUMENT with a BadRequest detail")
}

/// NOT_FOUND, with a `ResourceInfo` detail naming the station.
pub fn unknown_station(station: &str) -> Status {
    // Build `ErrorDetails` with resource info: type "station", name `station`.
    todo!("unknown_station: NOT_FOUND with a ResourceInfo detail")
}

#[tonic::async_trait]
impl WeatherService for Weather {
    async fn get_latest(
        &self,
        request: Request<GetLatestRequest>,
    ) -> Result<Response<Reading>, Status> {
        // Contract (tests/capstone.rs): empty station → INVALID_ARGUMENT naming `station`;
        // unknown station → NOT_FOUND naming it; else its latest reading, after `self.pace`.
        todo!("GetLatest")
    }

    type ListReadingsStream = ResponseStream<Reading>;

    async fn list_readings(
        &self,
        request: Request<ListReadingsRequest>,
    ) -> Result<Response<Self::ListReadingsStream>, Status> {
        // Contract: the station's readings oldest first, at most `limit` (0: all), `self.pace`
        // apart; `limit` over MAX_LIMIT → INVALID_ARGUMENT naming `limit`; unknown → NOT_FOUND;
        // the stream stops with DEADLINE_EXCEEDED when the caller's deadline passes.
        todo!("ListReadings")
    }

    async fn record(
        &self,
        request: Request<Streaming<Reading>>,
    ) -> Result<Response<RecordSummary>, Status> {
        // Contract: store every plausible reading (a station name, celsius in PLAUSIBLE),
        // count the rest (and those `Store::record` has no room for) as rejected; answer once, when the client has finished sending.
        todo!("Record")
    }

    type LiveAverageStream = ResponseStream<Average>;

    async fn live_average(
        &self,
        request: Request<Streaming<Reading>>,
    ) -> Result<Response<Self::LiveAverageStream>, Status> {
        // Contract: for each reading, as it arrives, its station's running average so far.
        // The client waits for each answer before sending the next reading. At most
        // MAX_LIVE_STATIONS stations per call: a reading for one more → RESOURCE_EXHAUSTED.
        todo!("LiveAverage")
    }
}
