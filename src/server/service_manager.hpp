#pragma once

// systemd's Type=notify protocol (sd_notify(3)): the unit knows when shund serves and when it reloads.
// Every call does nothing when shund was not started by systemd (no $NOTIFY_SOCKET).

namespace shun::server {

/// READY=1: the first load is served (also after a reload: the new data is served).
void notifyReady();

/// RELOADING=1: a reload asked for by SIGHUP (systemctl reload) has begun; notifyReady() ends it.
void notifyReloading();

/// STOPPING=1: shund is shutting down.
void notifyStopping();

} // namespace shun::server
