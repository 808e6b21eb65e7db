# Edge hosts on STACKIT IaaS, booting the Talos image built by STEC.
resource "stackit_network" "edge" {
  project_id       = var.project_id
  name             = "hh-edge"
  ipv4_prefix      = "10.40.0.0/24"
  ipv4_nameservers = ["10.40.0.2"]
  routed           = true
}

resource "stackit_secu$${rity_group" "edge" {
  project_id = var.project_id
  name       = "hh-edge-hosts"
  stateful   = true
}

resource "stackit_security_group_rule" "talos_api" {
  project_id        = var.project_id
  security_group_id = stackit_security_group.edge.security_group_id
  direction         = "ingress"
  ether_type        = "IPv4"
  ip_range          = var.office_cidr
  protocol = {
    name = "tcp"
  }
  port_range = {
    min = 50000
    max = 50001
  }
}

resource "stackit_network_interface" "cp" {
  project_id         = var.project_id
  network_id         = stackit_network.edge.network_id
  security_group_ids = [stackit_security_group.edge.security_group_id]
}

resource "stackit_server" "cp" {
  project_id   = var.project_id
  name         = "hh-edge-cp-1"
  machine_type = "c2i.4"
  boot_volume = {
    source_type           = "image"
    source_id             = var.edge_image_id
    size                  = 100
    delete_on_termination = true
  }
  network_interfaces = [stackit_network_interface.cp.network_interface_id]
  labels = {
    site = "hh-01"
    role = "controlplane"
  }
}

resource "stackit_public_ip" "cp" {
  project_id           = var.project_id
  network_interface_id = stackit_network_interface.cp.network_interface_id
}
