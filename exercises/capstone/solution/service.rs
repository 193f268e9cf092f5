//! The four handlers of `WeatherService`: one per call shape.
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
    let mut details = ErrorDetails::new();
    details.add_bad_request_violation(field, description);
    Status::with_error_details(
        Code::InvalidArgument,
        format!("invalid {field}: {description}"),
        details,
    )
}

/// NOT_FOUND, with a `ResourceInfo` detail naming the station.
pub fn unknown_station(station: &str) -> Status {
    let mut details = ErrorDetails::new();
    details.set_resource_info("station", station, "", "no such station");
    Status::with_error_details(Code::NotFound, format!("no station {station:?}"), details)
}

#[tonic::async_trait]
impl WeatherService for Weather {
    async fn get_latest(
        &self,
        request: Request<GetLatestRequest>,
    ) -> Result<Response<Reading>, Status> {
        let station = request.into_inner().station;
        if station.is_empty() {
            return Err(invalid_field("station", "must not be empty"));
        }
        // Reading the sensor takes a while; tonic drops this future at the deadline.
        tokio::time::sleep(self.pace).await;
        let latest = self.store().latest(&station);
        latest
            .map(Response::new)
            .ok_or_else(|| unknown_station(&station))
    }

    type ListReadingsStream = ResponseStream<Reading>;

    async fn list_readings(
        &self,
        request: Request<ListReadingsRequest>,
    ) -> Result<Response<Self::ListReadingsStream>, Status> {
        let deadline = deadline_of(&request);
        let ListReadingsRequest { station, limit } = request.into_inner();
        if station.is_empty() {
            return Err(invalid_field("station", "must not be empty"));
        }
        if limit > MAX_LIMIT {
            return Err(invalid_field(
                "limit",
                &format!("must be at most {MAX_LIMIT}"),
            ));
        }
        let mut readings = self
            .store()
            .readings(&station)
            .ok_or_else(|| unknown_station(&station))?
            .to_vec();
        if limit > 0 {
            readings.truncate(limit as usize);
        }
        let (tx, rx) = mpsc::channel(4);
        let pace = self.pace;
        tokio::spawn(async move {
            for reading in readings {
                tokio::time::sleep(pace).await;
                // The handler has returned: this stream watches the deadline itself.
                if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                    let _ = tx
                        .send(Err(Status::deadline_exceeded("deadline exceeded")))
                        .await;
                    return;
                }
                if tx.send(Ok(reading)).await.is_err() {
                    return; // the client went away
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn record(
        &self,
        request: Request<Streaming<Reading>>,
    ) -> Result<Response<RecordSummary>, Status> {
        let mut readings = request.into_inner();
        let mut summary = RecordSummary::default();
        while let Some(reading) = readings.message().await? {
            let plausible = !reading.station.is_empty() && PLAUSIBLE.contains(&reading.celsius);
            // A full store has no room: the reading is rejected, not silently dropped.
            if plausible
                && self
                    .store()
                    .record(&reading.station, reading.celsius)
                    .is_some()
            {
                summary.accepted += 1;
            } else {
                summary.rejected += 1;
            }
        }
        Ok(Response::new(summary))
    }

    type LiveAverageStream = ResponseStream<Average>;

    async fn live_average(
        &self,
        request: Request<Streaming<Reading>>,
    ) -> Result<Response<Self::LiveAverageStream>, Status> {
        let mut totals: HashMap<String, (f64, u32)> = HashMap::new();
        let averages = request.into_inner().map(move |reading| {
            let reading = reading?;
            // Bounded like the store: the client chooses the names.
            if !totals.contains_key(&reading.station) && totals.len() >= MAX_LIVE_STATIONS {
                return Err(Status::resource_exhausted(format!(
                    "at most {MAX_LIVE_STATIONS} stations in one LiveAverage call"
                )));
            }
            let (sum, count) = totals.entry(reading.station.clone()).or_default();
            *sum += reading.celsius;
            *count += 1;
            Ok(Average {
                station: reading.station,
                celsius: *sum / f64::from(*count),
                count: *count,
            })
        });
        Ok(Response::new(Box::pin(averages)))
    }
}
