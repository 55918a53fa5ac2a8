/** Implementation of the Kafka Connect sink; not API, may change in any release. */
package io.flowguard.bronze.connect.internal;
