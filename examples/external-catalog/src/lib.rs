//! The arcade's events: runs of a mini-game and their scores, on the `arcade` domain's topic.
//! Everything here is what a team writes to use kafka-events for a catalog of its own.

use event_core::catalog::Example;
use event_core::{DomainEvents, Envelope, EventSchema, KafkaEvent};
use serde::{Deserialize, Serialize};
use uuid::{uuid, Uuid};

event_core::domain! {
    /// The arcade: mini-game runs and scores.
    pub struct Arcade {
        name: "arcade",
        topic: "arcade.events",
        partitions: 3,
        retention_days: 14,
        priority: Normal,
        key_fields: [run_id],
    }
}

const RUN: Uuid = uuid!("3e1b7c52-9d4a-4f0e-8c6b-2a5d7e9f1c30");
const PLAYER: Uuid = uuid!("a4c2e6f8-1b3d-4a5c-9e7f-0d2b4c6e8a10");

/// Which cabinet a run is played on.
#[derive(EventSchema, Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Cabinet {
    /// The racing game.
    Racer,
    /// The puzzle game.
    Puzzle,
}

/// A player started a run.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("arcade.run.started", version = "1.0.0")]
pub struct RunStarted {
    /// The run.
    pub run_id: Uuid,
    /// Who plays.
    pub player_id: Uuid,
    /// Where.
    pub cabinet: Cabinet,
}

/// A run ended.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("arcade.run.finished", version = "1.0.0")]
pub struct RunFinished {
    /// The run.
    pub run_id: Uuid,
    /// How long it lasted, in milliseconds.
    #[event(maximum = 3_600_000)]
    pub duration_ms: u32,
}

/// A score was submitted to the leaderboard.
#[derive(KafkaEvent, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[event("arcade.score.submitted", version = "1.0.0")]
pub struct ScoreSubmitted {
    /// The run that scored.
    pub run_id: Uuid,
    /// Points.
    pub points: u64,
    /// The name shown on the leaderboard.
    #[event(min_length = 1, max_length = 3)]
    pub initials: String,
}

impl Example for RunStarted {
    fn example() -> Self {
        RunStarted {
            run_id: RUN,
            player_id: PLAYER,
            cabinet: Cabinet::Racer,
        }
    }
}

impl Example for RunFinished {
    fn example() -> Self {
        RunFinished {
            run_id: RUN,
            duration_ms: 95_250,
        }
    }
}

impl Example for ScoreSubmitted {
    fn example() -> Self {
        ScoreSubmitted {
            run_id: RUN,
            points: 48_200,
            initials: "ACE".to_owned(),
        }
    }
}

/// Every arcade event, as a consumer of `arcade.events` receives it.
#[derive(DomainEvents, Debug, Clone, PartialEq)]
pub enum ArcadeEvent {
    /// [`RunStarted`].
    RunStarted(Envelope<RunStarted>),
    /// [`RunFinished`].
    RunFinished(Envelope<RunFinished>),
    /// [`ScoreSubmitted`].
    ScoreSubmitted(Envelope<ScoreSubmitted>),
}

/// The arcade's catalog for the tools: snapshots in `schemas/` beside this crate.
pub fn catalog() -> event_tools::Catalog {
    event_tools::Catalog::new("arcade events", env!("CARGO_MANIFEST_DIR"))
        .with_domain::<ArcadeEvent>()
        .with_export_binary("export-arcade")
}
