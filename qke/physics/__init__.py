"""Physics building blocks shared by models: plasma thermodynamics, thermal averages, potentials."""
