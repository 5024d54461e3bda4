
use builtin;
use str;

set edit:completion:arg-completer[poolctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'poolctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'poolctl'= {
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create pools from manifests and/or flags'
            cand validate 'Check manifests locally; never touches the network'
            cand get 'Show one pool (by metadata.name or by its os.modelarts/name label)'
            cand list 'List pools'
            cand wait 'Wait until a pool is Running (or deleted)'
            cand delete 'Delete a pool'
            cand emulator 'Serve a local emulator of the pool API'
            cand schema 'Print the JSON Schema of the manifest (for editors and yaml-language-server)'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'poolctl;create'= {
            cand -f 'Manifest files (YAML or JSON), repeatable; - reads stdin'
            cand --filename 'Manifest files (YAML or JSON), repeatable; - reads stdin'
            cand --name 'Pool name (the os.modelarts/name label)'
            cand --type 'Pool type [default: Dedicate]'
            cand --flavor 'Resource flavor, e.g. modelarts.vm.cpu.8ud'
            cand --count 'Node count of the flavor'
            cand --max-count 'Elastic maximum of the flavor (logical pools)'
            cand --resource 'A flavor and its counts, repeatable: flavor=F,count=N[,maxCount=M][,az=AZ:N]...'
            cand --scope 'Job types, comma-separated: Train, Infer, Notebook'
            cand --network 'Network name (spec.network.name)'
            cand --vpc-id 'VPC ID of a privileged pool (with --subnet-id)'
            cand --subnet-id 'Subnet ID of a privileged pool (with --vpc-id)'
            cand --workspace-id 'Workspace ID (label os.modelarts/workspace.id)'
            cand --description 'Description (annotation os.modelarts/description)'
            cand --sharing 'Sharing (label os.modelarts/sharing)'
            cand --node-prefix 'Node name prefix (label os.modelarts/node.prefix)'
            cand --parent 'Parent pool ID of a logical sub-pool'
            cand --container-cidr 'Container network CIDR (spec.containerNetwork.cidr)'
            cand --service-cidr 'Kubernetes service CIDR (spec.kubernetesSvcIpRange)'
            cand --master-az 'AZ of a master node, repeatable'
            cand --gpu-driver 'GPU driver version'
            cand --npu-driver 'NPU driver version'
            cand --driver-update-strategy 'Driver upgrade policy'
            cand --cluster-flavor 'Cluster flavor of a standard pool'
            cand --label 'Any other label, repeatable: K=V'
            cand --annotation 'Any other annotation, repeatable: K=V'
            cand --wait-timeout 'How long --wait waits, e.g. 90m, 1h30m'
            cand --if-exists 'What to do when a pool with the same name exists'
            cand --validate 'Unknown fields: strict (error) or warn (warn and send them)'
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand --ipv6 'Enable IPv6 (spec.ipv6enable)'
            cand --dry-run 'Print the request body that would be sent, and send nothing'
            cand --wait 'Follow the pool until it is Running or has failed'
            cand --show-secrets 'Show secret values (userLogin.password) instead of <redacted>'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;validate'= {
            cand -f 'Manifest files (YAML or JSON); - reads stdin'
            cand --filename 'Manifest files (YAML or JSON); - reads stdin'
            cand --validate 'Unknown fields: strict (error) or warn'
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;get'= {
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand --show-secrets 'Show secret values instead of <redacted>'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;list'= {
            cand -l 'Only pools with this label, e.g. os.modelarts/name=pool-ae01'
            cand --label-selector 'Only pools with this label, e.g. os.modelarts/name=pool-ae01'
            cand --status 'Only pools in this state'
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;wait'= {
            cand --for 'The state to wait for'
            cand --wait-timeout 'How long to wait, e.g. 90m'
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;delete'= {
            cand --wait-timeout 'How long --wait waits'
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand --wait 'Wait until the pool is gone'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;emulator'= {
            cand --listen 'Address to listen on (loopback by default; port 0 picks a free one)'
            cand --provision-time 'Time for a pool to go from Creating to Running'
            cand --faults 'Injected faults, e.g. "get:503*3,post:reset-after*1,429=2%20,latency=300ms" (docs/emulator.md)'
            cand --seed 'Seed of the fault injection, for reproducible runs'
            cand --state 'Keep pools in this file across restarts (written atomically)'
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;schema'= {
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;completions'= {
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;man'= {
            cand --region 'Region, e.g. ap-southeast-1; picks the endpoint and the project'
            cand --endpoint 'ModelArts endpoint URL; overrides the one derived from --region'
            cand --project-id 'Project ID [default: HUAWEICLOUD_SDK_PROJECT_ID, the credentials file, else looked up through IAM]'
            cand --iam-endpoint 'IAM endpoint URL for the project lookup [default: HUAWEICLOUD_SDK_IAM_ENDPOINT, else from --region]'
            cand -o 'Output format of the result on stdout'
            cand --output 'Output format of the result on stdout'
            cand --ca-bundle 'PEM file of CA certificates to trust, added to the system''s'
            cand --request-timeout 'Time limit of each HTTP request, e.g. 30s, 2m'
            cand -q 'Print only the result: no progress, no warnings'
            cand --quiet 'Print only the result: no progress, no warnings'
            cand -v 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --verbose 'More detail on stderr; -vv traces HTTP (secrets redacted)'
            cand --emulator 'Run a pool API emulator inside this process and point this command at it: no account needed'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'poolctl;help'= {
            cand create 'Create pools from manifests and/or flags'
            cand validate 'Check manifests locally; never touches the network'
            cand get 'Show one pool (by metadata.name or by its os.modelarts/name label)'
            cand list 'List pools'
            cand wait 'Wait until a pool is Running (or deleted)'
            cand delete 'Delete a pool'
            cand emulator 'Serve a local emulator of the pool API'
            cand schema 'Print the JSON Schema of the manifest (for editors and yaml-language-server)'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'poolctl;help;create'= {
        }
        &'poolctl;help;validate'= {
        }
        &'poolctl;help;get'= {
        }
        &'poolctl;help;list'= {
        }
        &'poolctl;help;wait'= {
        }
        &'poolctl;help;delete'= {
        }
        &'poolctl;help;emulator'= {
        }
        &'poolctl;help;schema'= {
        }
        &'poolctl;help;completions'= {
        }
        &'poolctl;help;man'= {
        }
        &'poolctl;help;help'= {
        }
    ]
    $completions[$command]
}
