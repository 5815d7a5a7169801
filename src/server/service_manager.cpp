#include "server/service_manager.hpp"

#include <systemd/sd-daemon.h>

namespace shun::server {

// sd_notify keeps $NOTIFY_SOCKET (unset_environment 0): reloads notify again later.
void notifyReady()
{
  sd_notify(0, "READY=1\nSTATUS=serving");
}

void notifyReloading()
{
  sd_notify(0, "RELOADING=1\nSTATUS=reloading");
}

void notifyStopping()
{
  sd_notify(0, "STOPPING=1");
}

} // namespace shun::server
