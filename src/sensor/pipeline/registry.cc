#include "sensor/pipeline/registry.h"

#include <vector>

#include "sensor/dissect/bacnet/dissector.h"
#include "sensor/dissect/cdp/dissector.h"
#include "sensor/dissect/dhcp/dissector.h"
#include "sensor/dissect/dicom/dissector.h"
#include "sensor/dissect/dns/dissector.h"
#include "sensor/dissect/ftp/dissector.h"
#include "sensor/dissect/hl7/dissector.h"
#include "sensor/dissect/http/dissector.h"
#include "sensor/dissect/lldp/dissector.h"
#include "sensor/dissect/modbus/dissector.h"
#include "sensor/dissect/mqtt/dissector.h"
#include "sensor/dissect/nbns/dissector.h"
#include "sensor/dissect/snmp/dissector.h"
#include "sensor/dissect/ssdp/dissector.h"
#include "sensor/dissect/telnet/dissector.h"
#include "sensor/dissect/tls/dissector.h"

namespace vigil::sensor {

std::span<const DissectorInfo> AllDissectors() {
  // Within a transport, the probes are asked in this order: exact signatures (a magic cookie, a
  // fixed header) before looser ones (DNS's plausible header, HTTP's method names).
  static const std::vector<DissectorInfo> table = {
      // Layer 2.
      lldp::Info(),
      cdp::Info(),
      // UDP.
      dhcp::Info(),
      ssdp::Info(),
      snmp::Info(),
      bacnet::Info(),
      nbns::Info(),
      dns::Info(),
      // TCP.
      tls::Info(),
      hl7::Info(),
      dicom::Info(),
      mqtt::Info(),
      modbus::Info(),
      http::Info(),
      ftp::Info(),
      telnet::Info(),
  };
  return table;
}

}  // namespace vigil::sensor
