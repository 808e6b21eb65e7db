x = { a = "$$${ {k = 1, j = 2} }", b = <<EOT
}}}
EOT
}
y = [for k in {a = 1, b = 2} : k]
z = -{a = 1}
