#!/bin/sh
# Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d): the role the
# services use, with the password from the environment, and the services' databases. A real
# deployment gives each service a role of its own (see the README).
set -eu
psql -v ON_ERROR_STOP=1 -U postgres <<SQL
CREATE ROLE refettorio LOGIN PASSWORD '${POSTGRES_REFETTORIO_PASSWORD}';
CREATE DATABASE accounts OWNER refettorio;
CREATE DATABASE attendance OWNER refettorio;
CREATE DATABASE payments OWNER refettorio;
CREATE DATABASE notifications OWNER refettorio;
SQL
