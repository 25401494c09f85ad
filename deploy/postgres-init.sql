-- Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d).
-- Mirrors deploy/local/postgres.sh: role refettorio, the services' databases, the kernel's, and test twins.
CREATE ROLE refettorio LOGIN CREATEDB PASSWORD 'refettorio';
CREATE DATABASE accounts OWNER refettorio;
CREATE DATABASE attendance OWNER refettorio;
CREATE DATABASE payments OWNER refettorio;
CREATE DATABASE notifications OWNER refettorio;
CREATE DATABASE accounts_test OWNER refettorio;
CREATE DATABASE attendance_test OWNER refettorio;
CREATE DATABASE payments_test OWNER refettorio;
CREATE DATABASE notifications_test OWNER refettorio;
CREATE DATABASE kernel OWNER refettorio;
CREATE DATABASE kernel_test OWNER refettorio;
