import GRDB

/// The hub's versioned schema. Migrations are append-only: never edit a shipped one, add the next.
///
/// Identifiers (agents, assets) are interned to integer keys so that the verdicts table,
/// which reaches tens of millions of rows, stays narrow.
enum HubMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ingest") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agents (
                        agent_no INTEGER PRIMARY KEY,
                        agent_id TEXT NOT NULL UNIQUE,
                        site TEXT NOT NULL,
                        online INTEGER NOT NULL DEFAULT 0,
                        last_seen_ms INTEGER NOT NULL DEFAULT 0,
                        software_version TEXT NOT NULL DEFAULT '',
                        spool_depth INTEGER NOT NULL DEFAULT 0,
                        contiguous_seq INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE assets (
                        asset_no INTEGER PRIMARY KEY,
                        site TEXT NOT NULL,
                        asset_id TEXT NOT NULL,
                        line TEXT NOT NULL DEFAULT 'unassigned',
                        machine_type TEXT NOT NULL DEFAULT 'unknown',
                        agent_no INTEGER REFERENCES agents(agent_no),
                        last_window_ms INTEGER NOT NULL DEFAULT 0,
                        last_score REAL NOT NULL DEFAULT 0,
                        last_state INTEGER NOT NULL DEFAULT 0,
                        UNIQUE (site, asset_id)
                    );
                    CREATE TABLE verdicts (
                        agent_no INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        asset_no INTEGER NOT NULL,
                        window_start_ms INTEGER NOT NULL,
                        window_ms INTEGER NOT NULL,
                        model_family TEXT NOT NULL,
                        model_version INTEGER NOT NULL,
                        score REAL NOT NULL,
                        threshold REAL NOT NULL,
                        label TEXT NOT NULL,
                        anomalous INTEGER NOT NULL,
                        state INTEGER NOT NULL,
                        stored_ms INTEGER NOT NULL,
                        PRIMARY KEY (agent_no, seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX verdicts_by_asset_time ON verdicts (asset_no, window_start_ms);
                    CREATE INDEX verdicts_by_time ON verdicts (window_start_ms);
                    CREATE TABLE clips (
                        agent_no INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        clip_id TEXT NOT NULL,
                        asset_no INTEGER NOT NULL,
                        window_start_ms INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        codec TEXT NOT NULL,
                        sample_rate INTEGER NOT NULL,
                        channels INTEGER NOT NULL,
                        byte_count INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        verdict_seq INTEGER,
                        label TEXT,
                        stored_ms INTEGER NOT NULL,
                        PRIMARY KEY (agent_no, seq)
                    );
                    CREATE INDEX clips_by_asset_time ON clips (asset_no, window_start_ms);
                    CREATE TABLE events (
                        agent_no INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        time_ms INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        PRIMARY KEY (agent_no, seq)
                    );
                    CREATE TABLE gaps (
                        agent_no INTEGER NOT NULL,
                        first_seq INTEGER NOT NULL,
                        last_seq INTEGER NOT NULL,
                        reported_by_seq INTEGER NOT NULL,
                        PRIMARY KEY (agent_no, first_seq)
                    );
                    CREATE TABLE rollups (
                        level INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        minute INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        anomalous INTEGER NOT NULL,
                        score_sum REAL NOT NULL,
                        score_max REAL NOT NULL,
                        PRIMARY KEY (level, key, minute)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-labels") { db in
            try db.execute(
                sql: """
                    CREATE TABLE labels (
                        label_no INTEGER PRIMARY KEY,
                        agent_no INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        label TEXT NOT NULL,
                        note TEXT NOT NULL DEFAULT '',
                        author TEXT NOT NULL DEFAULT '',
                        created_ms INTEGER NOT NULL,
                        FOREIGN KEY (agent_no, seq) REFERENCES clips (agent_no, seq)
                    );
                    CREATE INDEX labels_by_clip ON labels (agent_no, seq);
                    CREATE INDEX events_by_time ON events (time_ms);
                    """)
        }
        migrator.registerMigration("v3-rollout") { db in
            try db.execute(
                sql: """
                    ALTER TABLE agents ADD COLUMN applied_generation INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE events ADD COLUMN severity TEXT NOT NULL DEFAULT '';
                    ALTER TABLE events ADD COLUMN model_family TEXT;
                    ALTER TABLE events ADD COLUMN model_version INTEGER;
                    CREATE TABLE agent_models (
                        agent_no INTEGER NOT NULL REFERENCES agents(agent_no),
                        family TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        PRIMARY KEY (agent_no, family)
                    );
                    CREATE TABLE models (
                        family TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        size_bytes INTEGER NOT NULL,
                        path TEXT NOT NULL,
                        metrics TEXT NOT NULL DEFAULT '{}',
                        parent_version INTEGER NOT NULL DEFAULT 0,
                        dataset_fingerprint TEXT NOT NULL DEFAULT '',
                        created_ms INTEGER NOT NULL,
                        status TEXT NOT NULL DEFAULT 'registered',
                        PRIMARY KEY (family, version)
                    );
                    CREATE TABLE rollouts (
                        rollout_id TEXT PRIMARY KEY,
                        family TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        previous_version INTEGER NOT NULL,
                        stages TEXT NOT NULL,
                        soak_ms INTEGER NOT NULL,
                        gates TEXT NOT NULL,
                        state TEXT NOT NULL,
                        current_stage INTEGER NOT NULL DEFAULT 0,
                        stage_started_ms INTEGER NOT NULL,
                        soak_started_ms INTEGER,
                        artifacts_published INTEGER NOT NULL DEFAULT 0,
                        reason TEXT NOT NULL DEFAULT '',
                        history TEXT NOT NULL DEFAULT '',
                        created_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        finished_ms INTEGER
                    );
                    CREATE INDEX rollouts_by_family ON rollouts (family, created_ms);
                    CREATE TABLE rollout_agents (
                        rollout_id TEXT NOT NULL REFERENCES rollouts(rollout_id),
                        agent_id TEXT NOT NULL,
                        site TEXT NOT NULL,
                        cohort INTEGER NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending',
                        target_version INTEGER NOT NULL DEFAULT 0,
                        generation INTEGER NOT NULL DEFAULT 0,
                        event_mark INTEGER NOT NULL DEFAULT 0,
                        assigned_ms INTEGER,
                        delivered_ms INTEGER,
                        detail TEXT NOT NULL DEFAULT '',
                        updated_ms INTEGER NOT NULL,
                        PRIMARY KEY (rollout_id, agent_id)
                    );
                    CREATE TABLE desired_agents (
                        agent_id TEXT PRIMARY KEY,
                        site TEXT NOT NULL,
                        generation INTEGER NOT NULL,
                        published_generation INTEGER NOT NULL DEFAULT 0,
                        rollout_id TEXT NOT NULL DEFAULT ''
                    );
                    CREATE TABLE desired_models (
                        agent_id TEXT NOT NULL,
                        family TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        PRIMARY KEY (agent_id, family)
                    );
                    """)
        }
        migrator.registerMigration("v4-retraining") { db in
            // The retraining queue and history: a job row is queued by the API, the CLI or the
            // schedule, claimed by one worker, and finished with its outcome and JSON report.
            try db.execute(
                sql: """
                    CREATE TABLE retraining_jobs (
                        job_no INTEGER PRIMARY KEY,
                        family TEXT NOT NULL,
                        trigger TEXT NOT NULL,
                        status TEXT NOT NULL,
                        stage TEXT NOT NULL DEFAULT '',
                        reason TEXT NOT NULL DEFAULT '',
                        created_ms INTEGER NOT NULL,
                        started_ms INTEGER,
                        finished_ms INTEGER,
                        production_version INTEGER,
                        candidate_version INTEGER,
                        dataset_fingerprint TEXT NOT NULL DEFAULT '',
                        metrics TEXT NOT NULL DEFAULT '{}',
                        report TEXT
                    );
                    CREATE INDEX retraining_jobs_by_family ON retraining_jobs (family, job_no);
                    CREATE INDEX retraining_jobs_by_status ON retraining_jobs (status, job_no);
                    """)
        }
        migrator.registerMigration("v5-ingest-bounds") { db in
            // Messages the hub refused permanently (docs/protocol.md, "Rejections"): the watermark counts them
            // as accounted for, like stored seqs, so an agent's ack moves past them.
            // Asset conflicts: another agent claimed (status) or reported on (verdicts, clips) an asset that
            // belongs to `owner_agent_no`; one row per (asset, claimant), with a count.
            // Clock skew: the agent's `reported_at_ms` minus the hub's clock at receipt, from its latest status.
            try db.execute(
                sql: """
                    CREATE TABLE ingest_rejections (
                        agent_no INTEGER NOT NULL,
                        seq INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        rejected_ms INTEGER NOT NULL,
                        PRIMARY KEY (agent_no, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE asset_conflicts (
                        site TEXT NOT NULL,
                        asset_id TEXT NOT NULL,
                        agent_no INTEGER NOT NULL,
                        owner_agent_no INTEGER NOT NULL,
                        first_ms INTEGER NOT NULL,
                        last_ms INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        PRIMARY KEY (site, asset_id, agent_no)
                    );
                    CREATE INDEX asset_conflicts_by_agent ON asset_conflicts (agent_no);
                    ALTER TABLE agents ADD COLUMN clock_skew_ms INTEGER;
                    ALTER TABLE agents ADD COLUMN clock_skew_problem INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v6-assets-agent-index") { db in
            // `/agents` counts each agent's assets: without this index that was a scan of every asset
            // per agent (6.4 s at 10,000 agents).
            try db.execute(sql: "CREATE INDEX assets_by_agent ON assets (agent_no)")
        }
        migrator.registerMigration("v7-asset-learning") { db in
            // Learning periods operators started (`HubStore.startLearning`), one per asset, carried in
            // the desired state of the agent that owns the asset (`assets.agent_no`).
            try db.execute(
                sql: """
                    CREATE TABLE asset_learning (
                        site TEXT NOT NULL,
                        asset_id TEXT NOT NULL,
                        normal_sample_probability REAL NOT NULL,
                        starts_ms INTEGER NOT NULL,
                        ends_ms INTEGER NOT NULL,
                        PRIMARY KEY (site, asset_id)
                    )
                    """)
        }
        migrator.registerMigration("v8-alarms") { db in
            // Hub-side alarms (HubStore+Alarms.swift): one open (not closed) alarm per (kind, site, subject);
            // every transition is kept (the audit trail) and numbered in order, which is what notification
            // routes deliver: each route's cursor is the last transition it delivered.
            try db.execute(
                sql: """
                    CREATE TABLE alarms (
                        alarm_no INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        site TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        asset_no INTEGER,
                        severity TEXT NOT NULL,
                        state TEXT NOT NULL,
                        raised_ms INTEGER NOT NULL,
                        cleared_ms INTEGER,
                        closed_ms INTEGER,
                        shelved_until_ms INTEGER,
                        resolution TEXT,
                        cause TEXT NOT NULL DEFAULT '',
                        action_taken TEXT NOT NULL DEFAULT '',
                        detail TEXT NOT NULL DEFAULT '',
                        updated_ms INTEGER NOT NULL
                    );
                    CREATE UNIQUE INDEX alarms_open ON alarms (kind, site, subject) WHERE state != 'closed';
                    CREATE INDEX alarms_by_state ON alarms (state, alarm_no);
                    CREATE INDEX alarms_by_asset ON alarms (asset_no, alarm_no);
                    CREATE INDEX alarms_by_shelf ON alarms (shelved_until_ms) WHERE shelved_until_ms IS NOT NULL;
                    CREATE TABLE alarm_transitions (
                        transition_no INTEGER PRIMARY KEY,
                        alarm_no INTEGER NOT NULL REFERENCES alarms(alarm_no),
                        action TEXT NOT NULL,
                        from_state TEXT,
                        to_state TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        shelved INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        note TEXT NOT NULL DEFAULT '',
                        time_ms INTEGER NOT NULL
                    );
                    CREATE INDEX alarm_transitions_by_alarm ON alarm_transitions (alarm_no, transition_no);
                    CREATE TABLE notification_cursors (
                        route TEXT PRIMARY KEY,
                        delivered_through INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT NOT NULL DEFAULT '',
                        updated_ms INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v9-agent-spool-outage") { db in
            // An agent's spool refusing writes, from its latest status (AgentSpoolOutage): the start in hub
            // time (NULL while it writes) and what it reported lost so far; raises `spool_failing`.
            try db.execute(
                sql: """
                    ALTER TABLE agents ADD COLUMN spool_failing_since_ms INTEGER;
                    ALTER TABLE agents ADD COLUMN spool_failure TEXT NOT NULL DEFAULT '';
                    ALTER TABLE agents ADD COLUMN spool_lost_verdicts INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE agents ADD COLUMN spool_lost_anomalous_verdicts INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE agents ADD COLUMN spool_lost_clips INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        return migrator
    }
}
