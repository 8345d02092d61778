-- Run once by the postgres image on a new data volume: the app database beside the tracker store
-- (POSTGRES_DB), so each has its own schema history.
CREATE DATABASE signposting_app;
