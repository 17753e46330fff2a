// Command compose-check loads docker-compose.yml the way `docker compose config` does, with
// compose-go (the library Docker Compose itself loads files with): the compose schema,
// interpolation from an env file, YAML merge keys, and references between services. No
// Docker engine runs on the project's machines; infra/test/compose.test.ts runs this.
//
//	go run . <project-dir> <env-file>
//
// It prints the resolved services as JSON (for the test to read) or exits 1 with the error.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <project-dir> <env-file>")
		os.Exit(2)
	}
	dir, envFile := os.Args[1], os.Args[2]
	options, err := cli.NewProjectOptions(
		[]string{filepath.Join(dir, "docker-compose.yml")},
		cli.WithWorkingDirectory(dir),
		cli.WithEnvFiles(envFile),
		// Loads the env file named above only (not a developer's .env), like --env-file.
		cli.WithDotEnv,
		cli.WithName("commerce-events"),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := json.Marshal(project)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
