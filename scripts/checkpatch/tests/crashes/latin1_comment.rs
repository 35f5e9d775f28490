// Copyright Müller
