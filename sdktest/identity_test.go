package sdktest

import "github.com/kvquota/kvquota/emulator/auth"

func emulatorIdentity() auth.Identity { return auth.DefaultIdentity() }
