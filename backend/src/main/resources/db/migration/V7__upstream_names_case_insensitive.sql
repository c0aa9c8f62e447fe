-- Upstream names are unique whatever their case (as tenant and user names are), enforced by the index so two
-- concurrent creates cannot both win.
DROP INDEX upstreams_name;
CREATE UNIQUE INDEX upstreams_name_lower ON upstreams (lower(name));
